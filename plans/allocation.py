"""The allocation of a district programme's target to its communes: what the shares add up to
and how far that is from the target."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TypedDict


class AllocationFigures(TypedDict):
    total: Decimal
    difference: Decimal | None
    gap: Decimal | None


def allocation_figures(
    target: Decimal | None, shares: Iterable[Decimal | None]
) -> AllocationFigures:
    """The sum of the shares (a commune without one adds nothing), the signed `difference`
    from the target (over it is positive) and its size, `gap`; both None for no target."""
    total = sum((share for share in shares if share is not None), Decimal(0))
    if target is None:
        return {"total": total, "difference": None, "gap": None}
    return {"total": total, "difference": total - target, "gap": abs(total - target)}
