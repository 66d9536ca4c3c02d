from .roles import ROLE_LABELS, roles_of
from .services import department_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    names = roles_of(user)
    return {
        "user_roles": [{"code": name, "label": ROLE_LABELS[name]} for name in names],
        "user_department": department_of(user),
    }
