"""Which models leave an audit trail, and what of them.

A liaison who changes a colleague's mobile number redirects the alerts meant for them; every
create, change and delete of these objects is therefore kept with its actor, time and old and
new values. Many-to-many fields listed here are tracked too (a user's roles are their groups).
Passwords are masked: the trail shows that one changed, never the hash.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps
from django.contrib import admin

# label → options for auditlog.register
AUDITED = {
    "auth.User": {
        "m2m_fields": {"groups", "user_permissions"},
        "exclude_fields": ["last_login"],
        "mask_fields": ["password"],
    },
    "auth.Group": {"m2m_fields": {"permissions"}},  # the roles
    "directory.UserProfile": {},  # the department a liaison acts for
    "directory.Department": {},
    "directory.Contact": {},
    "directory.Shift": {},
    "alerts.EscalationPolicy": {},
    "alerts.EscalationStep": {"m2m_fields": {"contacts"}},
    "inventory.Depot": {"m2m_fields": {"managers"}},
    "inventory.Item": {},
    "inventory.Lot": {},
    "plans.River": {},
    "plans.RiverFeature": {},
    "plans.ResponsePlan": {},
    "plans.Measure": {},
    "plans.TaskTemplate": {},
    "plans.Pollutant": {},
    "drills.Drill": {"m2m_fields": {"departments", "evaluators", "observers"}},
    "drills.Inject": {},
}


def audited_models() -> list:
    return [apps.get_model(label) for label in AUDITED]


def register_audited_models() -> None:
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **options)


def show_trail_in_admin(site=admin.site) -> None:
    """Each audited object's "History" page in the admin shows its audit trail.

    The apps' ModelAdmin classes stay as they are; their registered instances get the history
    view of auditlog's mixin (admin autodiscovery has run by the time AuditConfig.ready() calls
    this: django.contrib.admin is the first installed app)."""
    from auditlog.mixins import AuditlogHistoryAdminMixin
    from django.contrib.admin.utils import unquote
    from django.http import Http404

    def history(self, request, object_id, extra_context=None):
        # auditlog's view renders a 500 for an id that names no object: a 404, as the admin's own.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return AuditlogHistoryAdminMixin.auditlog_history_view(self, request, object_id, extra_context)

    for model in audited_models():
        model_admin = site._registry.get(model)
        if model_admin is None or isinstance(model_admin, AuditlogHistoryAdminMixin):
            continue
        cls = type(model_admin)
        model_admin.__class__ = type(
            cls.__name__,
            (AuditlogHistoryAdminMixin, cls),
            {"__module__": cls.__module__, "history_view": history, "auditlog_history_view": history},
        )
