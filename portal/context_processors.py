"""Template context every page needs, computed without extra queries."""

from __future__ import annotations

from django.http import HttpRequest

from portal.rules import is_admin


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {"can_use_admin": user is not None and is_admin(user)}
