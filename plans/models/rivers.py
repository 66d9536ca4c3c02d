"""一河: a river (source → mouth) and the features along it, each with its chainage.

Lengths and chainages are computed by plans.services (geodesic metres, never degrees) and
stored, so a trace walks numbers instead of doing geometry per feature.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.directory.models import Department

from .pollutants import WaterClass


class River(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96, blank=True)
    geometry = models.LineStringField(_("course (source to mouth)"), srid=4326)
    velocity_ms = models.FloatField(_("mean velocity (m/s)"))
    flow_m3s = models.FloatField(_("mean flow (m³/s)"))
    dispersion_m2s = models.FloatField(_("longitudinal dispersion (m²/s)"))
    outlet = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tributaries",
        verbose_name=_("flows into"),
    )
    length_m = models.FloatField(_("length (m)"), default=0, editable=False)
    confluence_chainage_m = models.FloatField(
        _("confluence chainage on the outlet (m)"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("river")
        verbose_name_plural = _("rivers")
        constraints = [
            models.CheckConstraint(condition=Q(velocity_ms__gt=0), name="river_velocity_positive"),
            models.CheckConstraint(condition=Q(flow_m3s__gt=0), name="river_flow_positive"),
            models.CheckConstraint(condition=Q(dispersion_m2s__gt=0), name="river_dispersion_positive"),
            models.CheckConstraint(condition=~Q(outlet=F("id")), name="river_not_own_outlet"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def length_km(self) -> float:
        return round(self.length_m / 1000, 1)

    @property
    def cross_section_m2(self) -> float:
        """A = Q/u: the area the spill mixes into."""
        return self.flow_m3s / self.velocity_ms


class RiverFeature(models.Model):
    """Anything on a river the plan cares about. One table (kinds share location, river and
    chainage, and a trace lists them together); kind-specific columns are null elsewhere."""

    class Kind(models.TextChoices):
        SECTION = "section", _("Monitoring section")
        RECEPTOR = "receptor", _("Sensitive receptor")
        SPACE = "space", _("Emergency space")
        RISK_SOURCE = "risk_source", _("Risk source")

    class SectionLevel(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        COUNTY = "county", _("County")

    class ReceptorType(models.TextChoices):
        DRINKING_WATER = "drinking_water", _("Drinking-water intake")
        IRRIGATION = "irrigation", _("Irrigation intake")
        NATURE_RESERVE = "nature_reserve", _("Nature reserve")
        BOUNDARY = "boundary", _("Boundary section")

    class Serves(models.TextChoices):
        PREFECTURE = "prefecture", _("Prefecture city")
        COUNTY = "county", _("County town")
        TOWNSHIP = "township", _("Township")

    class Boundary(models.TextChoices):
        PROVINCE = "province", _("Provincial boundary")
        PREFECTURE = "prefecture", _("Prefectural boundary")

    class SpaceType(models.TextChoices):
        DAM = "dam", _("Dam")
        SLUICE = "sluice", _("Sluice")
        POND = "pond", _("Pond")
        RESERVOIR = "reservoir", _("Reservoir")
        BRIDGE = "bridge", _("Bridge")
        DIVERSION = "diversion", _("Diversion channel")

    class SourceType(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        TAILINGS_POND = "tailings_pond", _("Tailings pond")
        CHEMICAL_PARK = "chemical_park", _("Chemical park")
        HAZARDOUS_WASTE = "hazardous_waste", _("Hazardous-waste site")

    class RiskGrade(models.TextChoices):
        # HJ 941-2018 grades, stored as the standard writes them.
        GENERAL = "一般", _("General")
        MODERATE = "较大", _("Moderate")
        MAJOR = "重大", _("Major")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    river = models.ForeignKey(River, on_delete=models.CASCADE, related_name="features", verbose_name=_("river"))
    name = models.CharField(_("name"), max_length=96)
    location = models.PointField(_("location"), srid=4326)
    chainage_m = models.FloatField(_("chainage (m from source)"), default=0, editable=False)
    offset_m = models.FloatField(_("distance from the river line (m)"), default=0, editable=False)
    description = models.TextField(_("description"), blank=True)
    # section and receptor
    level = models.CharField(_("level"), max_length=16, choices=SectionLevel.choices, blank=True)
    water_class = models.CharField(_("target water class"), max_length=3, choices=WaterClass.choices, blank=True)
    # receptor
    receptor_type = models.CharField(_("receptor type"), max_length=16, choices=ReceptorType.choices, blank=True)
    serves = models.CharField(_("serves"), max_length=16, choices=Serves.choices, blank=True)
    boundary = models.CharField(_("boundary between"), max_length=16, choices=Boundary.choices, blank=True)
    downstream_jurisdiction = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("downstream jurisdiction"),
    )
    # emergency space
    space_type = models.CharField(_("space type"), max_length=16, choices=SpaceType.choices, blank=True)
    capacity_m3 = models.FloatField(_("capacity (m³)"), null=True, blank=True)
    setup_minutes = models.PositiveIntegerField(_("set-up time (minutes)"), null=True, blank=True)
    possible_measures = models.JSONField(_("possible measures"), default=list, blank=True)
    # risk source (location is its outfall on the river)
    source_type = models.CharField(_("source type"), max_length=16, choices=SourceType.choices, blank=True)
    risk_grade = models.CharField(_("risk grade (HJ 941)"), max_length=4, choices=RiskGrade.choices, blank=True)
    hazardous_substances = models.JSONField(_("hazardous substances held"), default=list, blank=True)

    class Meta:
        ordering = ["river__code", "chainage_m"]
        verbose_name = _("river feature")
        verbose_name_plural = _("river features")
        indexes = [models.Index(fields=["river", "chainage_m"], name="feature_river_chainage")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Season(models.TextChoices):
    """Hydrological seasons a reach may hold values for (months in the SEASON_MONTHS setting)."""

    DRY = "dry", _("Dry season")
    NORMAL = "normal", _("Normal season")
    WET = "wet", _("Wet season")


class RiverReach(models.Model):
    """A stretch of a river with one flow, velocity and dispersion (docs/domain.md, pollutant
    transport). The plain fields are the normal season's; `dry_*` and `wet_*`, when given,
    replace them in that season. Width, depth and slope give the mixing length. Parts of a
    river no reach covers keep the river's own values."""

    river = models.ForeignKey(River, on_delete=models.CASCADE, related_name="reaches", verbose_name=_("river"))
    from_chainage_m = models.FloatField(_("from chainage (m)"))
    to_chainage_m = models.FloatField(_("to chainage (m)"))
    flow_m3s = models.FloatField(_("flow (m³/s)"))
    velocity_ms = models.FloatField(_("velocity (m/s)"))
    dispersion_m2s = models.FloatField(_("longitudinal dispersion (m²/s)"))
    width_m = models.FloatField(_("width (m)"), null=True, blank=True)
    depth_m = models.FloatField(_("depth (m)"), null=True, blank=True)
    slope = models.FloatField(_("slope (m/m)"), null=True, blank=True)
    dry_flow_m3s = models.FloatField(_("dry-season flow (m³/s)"), null=True, blank=True)
    dry_velocity_ms = models.FloatField(_("dry-season velocity (m/s)"), null=True, blank=True)
    dry_dispersion_m2s = models.FloatField(_("dry-season dispersion (m²/s)"), null=True, blank=True)
    wet_flow_m3s = models.FloatField(_("wet-season flow (m³/s)"), null=True, blank=True)
    wet_velocity_ms = models.FloatField(_("wet-season velocity (m/s)"), null=True, blank=True)
    wet_dispersion_m2s = models.FloatField(_("wet-season dispersion (m²/s)"), null=True, blank=True)

    class Meta:
        ordering = ["river__code", "from_chainage_m"]
        verbose_name = _("river reach")
        verbose_name_plural = _("river reaches")
        indexes = [models.Index(fields=["river", "from_chainage_m"], name="reach_river_from")]
        constraints = [
            models.CheckConstraint(condition=Q(from_chainage_m__gte=0), name="reach_from_not_negative"),
            models.CheckConstraint(condition=Q(to_chainage_m__gt=F("from_chainage_m")), name="reach_from_before_to"),
            models.CheckConstraint(condition=Q(flow_m3s__gt=0), name="reach_flow_positive"),
            models.CheckConstraint(condition=Q(velocity_ms__gt=0), name="reach_velocity_positive"),
            models.CheckConstraint(condition=Q(dispersion_m2s__gt=0), name="reach_dispersion_positive"),
        ]

    def __str__(self):
        return f"{self.river.code} {self.from_chainage_m:.0f}–{self.to_chainage_m:.0f} m"

    def hydraulics(self, season: str) -> dict[str, float]:
        """flow_m3s, velocity_ms, dispersion_m2s of `season` (normal values where it has none)."""
        values = {"flow_m3s": self.flow_m3s, "velocity_ms": self.velocity_ms, "dispersion_m2s": self.dispersion_m2s}
        if season in (Season.DRY, Season.WET):
            for name in values:
                seasonal = getattr(self, f"{season}_{name}")
                if seasonal is not None:
                    values[name] = seasonal
        return values
