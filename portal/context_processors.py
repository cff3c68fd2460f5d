"""Template context every page needs, computed without extra queries."""

from __future__ import annotations

import rules
from django.http import HttpRequest

from portal.rules import is_admin


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_use_admin": is_admin(user),
        "can_view_coverage": rules.has_perm("plans.view_coverage", user),
    }
