"""Template context every page needs, computed without extra queries."""

from __future__ import annotations

import rules
from django.http import HttpRequest

from org.rules import is_admin


def csp_nonce(request: HttpRequest) -> dict[str, object]:
    """django-htmx's script tag reads `csp_nonce` from the context; django-csp 4 puts it on
    the request. Lazy: the nonce joins the policy only on pages that use it."""
    return {"csp_nonce": getattr(request, "csp_nonce", None)}


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_use_admin": is_admin(user),
        "can_view_coverage": rules.has_perm("plans.view_coverage", user),
        "can_view_ntm": rules.has_perm("ntm.view_ntm", user),
    }
