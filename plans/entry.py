"""The office's many-communes entry table: one district target's value for every commune.

Owns which district targets the office may pick, which commune targets derive from the one
picked, and the form with one value field per commune (a commune's submitted report is
shown but not overwritten). A fixed number of queries, whatever the number of communes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from org.models import UnitQuerySet
from plans.forms import QuantityField
from plans.models import (
    CommunePlan,
    ItemKind,
    Period,
    PlanItem,
    PlanStatus,
    ProgrammeItem,
    ProgrammeQuerySet,
    TargetResult,
)


def district_targets(programmes: ProgrammeQuerySet) -> list[ProgrammeItem]:
    """The targets of `programmes`, newest year first, in programme order."""
    return list(
        ProgrammeItem.objects.filter(programme__in=programmes, kind=ItemKind.TARGET)
        .select_related("programme")
        .order_by("-programme__year", "programme__kind", "order")
    )


def commune_targets(item: ProgrammeItem, period: Period, scope: UnitQuerySet) -> list[PlanItem]:
    """The targets of the approved plans in `scope` for the period's year derived from `item`,
    by commune code."""
    return list(
        PlanItem.objects.filter(
            source_items=item,
            kind=ItemKind.TARGET,
            plan__status=PlanStatus.APPROVED,
            plan__year=period.year,
            plan__unit__in=scope,
        )
        .select_related("plan__unit")
        .order_by("plan__unit__code", "order")
    )


def period_results(items: list[PlanItem], period: Period) -> dict[int, TargetResult]:
    """What has been reported for `items` in `period`, by item id."""
    return {
        r.item_id: r
        for r in TargetResult.objects.filter(item__in=items, report__period=period).select_related(
            "report"
        )
    }


class TargetEntryForm(forms.Form):
    """One value per commune target, named v_<item id>; `rows` is the table the page shows."""

    def __init__(
        self,
        data: QueryDict | None,
        *,
        items: list[PlanItem],
        results: dict[int, TargetResult],
    ) -> None:
        super().__init__(data)
        self.rows: list[dict[str, Any]] = []
        for item in items:
            result = results.get(item.pk)
            submitted = result is not None and result.report.status == "submitted"
            name = f"v_{item.pk}"
            self.fields[name] = QuantityField(
                label=item.plan.unit.display_name,
                required=False,
                disabled=submitted,
                initial=result.value if result else None,
            )
            self.rows.append({"item": item, "submitted": submitted, "name": name})
        for row in self.rows:
            row["field"] = self[row["name"]]

    def entries(self) -> list[tuple[CommunePlan, int, Decimal | None]]:
        """(plan, item id, value) of each value typed or changed here, for the service."""
        return [
            (row["item"].plan, row["item"].pk, self.cleaned_data[row["name"]])
            for row in self.rows
            if not row["submitted"] and row["name"] in self.changed_data
        ]
