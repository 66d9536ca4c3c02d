"""Who may do what to directory objects (used by the API, pages and sockets alike)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .roles import ADMINISTRATOR, DUTY_OFFICER, LIAISON, has_role
from .services import department_of


def can_manage_department(user, department) -> bool:
    """Duty officers and administrators manage every department's contacts and roster; a
    liaison only their own department's."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or has_role(user, ADMINISTRATOR, DUTY_OFFICER):
        return True
    if has_role(user, LIAISON):
        own = department_of(user)
        return own is not None and department is not None and own.pk == department.pk
    return False


class ModelPermissions(BasePermission):
    """Reads need `view_<model>`, writes need add/change/delete (Django's model permissions)."""

    perms_map = {
        "GET": "view",
        "HEAD": "view",
        "OPTIONS": "view",
        "POST": "add",
        "PUT": "change",
        "PATCH": "change",
        "DELETE": "delete",
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        model = view.get_queryset().model
        verb = self.perms_map.get(request.method)
        if verb is None:
            return False
        return request.user.has_perm(f"{model._meta.app_label}.{verb}_{model._meta.model_name}")


class DepartmentScoped(ModelPermissions):
    """Writes to an object that belongs to a department need can_manage_department."""

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return can_manage_department(request.user, obj.department)
