"""Reading query parameters that every floor shares: a value out of shape or range is
simply absent, so no typed URL reaches the ORM or raises a server error."""

from __future__ import annotations

import unicodedata

from django.http import HttpRequest
from django.utils import timezone

from org.models import FIRST_YEAR, LAST_YEAR


def year_param(request: HttpRequest, name: str = "year") -> int | None:
    """`?year=2023` as an int, or None when absent, not four ASCII digits or out of range."""
    raw = request.GET.get(name, "")
    if len(raw) != 4 or not (raw.isascii() and raw.isdigit()):
        return None
    year = int(raw)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


# The year a user chose last, in their session: every page with a year opens on it.
SESSION_YEAR = "portal:year"


def chosen_year(request: HttpRequest) -> int | None:
    """?year= when given (and remembered), else the year the user chose last, else None."""
    year = year_param(request)
    session = getattr(request, "session", None)
    if session is None:
        return year
    if year is not None:
        if session.get(SESSION_YEAR) != year:
            session[SESSION_YEAR] = year
        return year
    return remembered_year(request)


def remembered_year(request: HttpRequest) -> int | None:
    session = getattr(request, "session", None)
    year = session.get(SESSION_YEAR) if session is not None else None
    return year if isinstance(year, int) and FIRST_YEAR <= year <= LAST_YEAR else None


def selected_year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for in ?year= or chosen last, else the latest year with data, else this
    year."""
    year = chosen_year(request)
    if year is not None:
        return year
    return max(years, default=timezone.localdate().year)


# The largest id a database column holds (a signed 64-bit integer): SQLite refuses more.
MAX_ID = 2**63 - 1


def parse_id(raw: str) -> int | None:
    """A row id typed in a request, or None when it is not one (empty, not ASCII digits,
    beyond 64 bits): callers answer 404 or a form error, never a server error."""
    raw = raw.strip()
    if not raw or len(raw) > 19 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def text_param(request: HttpRequest, name: str, max_length: int = 100) -> str:
    """A short text parameter (a code, a choice), or "" when it is longer than `max_length`
    or carries a control character: PostgreSQL refuses a NUL byte in a query."""
    raw = request.GET.get(name, "")
    if len(raw) > max_length or any(unicodedata.category(ch) == "Cc" for ch in raw):
        return ""
    return raw
