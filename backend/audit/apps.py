from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail: who created, changed or deleted the directory, plans, supplies and
    drills, when, with old and new values (django-auditlog's LogEntry). The incident log and
    the stock ledger are their own trails; this covers the writes outside them.

    It sits above every app (it only names their models, by label) and imports none of them."""

    name = "backend.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import registry

        registry.register_audited_models()
        # The admin registered every app's ModelAdmin in its own ready(), which ran first.
        registry.show_trail_in_admin()
        from django.conf import settings

        if getattr(settings, "AUDIT_REFRESH_CONTENT_TYPES", False):
            from . import freshness

            freshness.connect()
