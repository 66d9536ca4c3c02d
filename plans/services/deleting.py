from __future__ import annotations

from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal


def delete_or_refuse(instance) -> None:
    """Delete, or refuse with 409 when records of other apps (an incident that used this plan or
    pollutant) still point at it: those records are history and must keep their references."""
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        used_by = sorted({obj._meta.verbose_name for obj in exc.protected_objects if hasattr(obj, "_meta")})
        raise DomainRefusal(
            _("%(object)s is still referenced and cannot be deleted.") % {"object": instance},
            referenced_by=[str(name) for name in used_by],
        ) from None
