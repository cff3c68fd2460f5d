"""The home page's reads: the years a user may choose between, the units they may see grouped
under their parent, each commune with its plan for the year, and the year's programmes."""

from __future__ import annotations

from itertools import groupby

from django.db.models import QuerySet
from django.http import HttpRequest

from org.models import Unit
from org.params import selected_year
from plans.models import CommunePlan, Programme


def years_with_data(plans: QuerySet[CommunePlan], programmes: QuerySet[Programme]) -> list[int]:
    """Years with a plan or a programme among those given, latest first."""
    return sorted(
        set(plans.order_by().values_list("year", flat=True).distinct())
        | set(programmes.order_by().values_list("year", flat=True).distinct()),
        reverse=True,
    )


def working_year(request: HttpRequest) -> tuple[int, list[int]]:
    """The year the user works on (asked for, chosen last, else the latest with data) and
    the years with data they may choose from. Two queries."""
    user = request.user
    years = years_with_data(
        CommunePlan.objects.visible_to(user), Programme.objects.visible_to(user)
    )
    return selected_year(request, years), years


def home_context(
    units: list[Unit],
    plans: QuerySet[CommunePlan],
    programmes: QuerySet[Programme],
    year: int,
    years: list[int],
) -> dict[str, object]:
    """`units` (ordered by parent) grouped under their parent, each with its plan for `year`
    among `plans`; the year is offered even when nothing was planned for it."""
    if year not in years:
        years = sorted([*years, year], reverse=True)
    plan_by_unit = {
        # the latest revision of each commune's plan wins
        plan.unit_id: plan
        for plan in plans.for_year(year).with_item_counts().order_by("revision")
    }
    rows = [(unit, plan_by_unit.get(unit.pk)) for unit in units]
    groups = [
        (parent, list(members)) for parent, members in groupby(rows, key=lambda row: row[0].parent)
    ]
    return {
        "year": year,
        "years": years,
        "groups": groups,
        "unit_count": len(units),
        "planned_count": sum(1 for _unit, plan in rows if plan is not None),
        "programmes": programmes.for_year(year)
        .select_related("unit")
        .order_by("unit__code", "kind"),
    }
