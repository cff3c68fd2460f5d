"""Small typed builders for test data that the demo does not provide."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from org.models import Role, Unit, UnitKind, User
from plans.models import CommunePlan, ItemKind, PlanItem

_codes = itertools.count(90000)


def make_unit(
    parent: Unit | None = None, *, kind: str = UnitKind.COMMUNE, name: str = "Thử Nghiệm"
) -> Unit:
    return Unit.objects.create(
        code=str(next(_codes)),
        kind=kind,
        name=name,
        parent=parent,
        valid_from=datetime.date(2004, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )


def make_user(unit: Unit | None, *, role: str = Role.COMMUNE_STAFF, username: str = "") -> User:
    return User.objects.create_user(
        username=username or f"user{next(_codes)}", password="x", role=role, unit=unit
    )


def make_plan(unit: Unit, *, year: int = 2023, items: int = 4) -> CommunePlan:
    plan = CommunePlan.objects.create(unit=unit, year=year, title="Kế hoạch thử nghiệm")
    for order in range(1, items + 1):
        kind = list(ItemKind)[order % 4]
        numbers = (
            {
                "measure_unit": "%",
                "direction": "increase",
                "target_value": Decimal("90"),
                "accumulation": "point",
            }
            if kind == ItemKind.TARGET
            else {}
        )
        PlanItem.objects.create(
            plan=plan, kind=kind, order=order, text=f"Nội dung {order}", **numbers
        )
    return plan


def choose_year(client, year: int) -> None:
    """The client's session remembers `year` as chosen: a page opened with ?year=`year` then
    writes nothing to the session (query counts measure the page, not the first choice)."""
    from org.params import SESSION_YEAR

    session = client.session
    session[SESSION_YEAR] = year
    session.save()
