"""Display helpers for plan numbers (formatting only, no logic)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def quantity(value: Decimal | int | None) -> str:
    """A target's number as documents write it: 8.900 ha, 93,7 %, no trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places, force_grouping=True)


@register.filter
def percent(value: Decimal | None) -> str:
    """A share as a whole percentage: 0.4567 → 46 %."""
    if value is None or value == "":
        return ""
    return f"{round(Decimal(value) * 100)} %"
