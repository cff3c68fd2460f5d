"""One commune's NTM page: which of its assessments of a year the page shows, and for each
criterion of that assessment's set the commune's and the district's columns, the year the
commune plans to meet it and the plan targets serving it.

The commune and its assessments come in already fetched through the user's scope; the lines
cost a fixed number of queries whatever the number of criteria.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypedDict

from ntm.distance import Distance, applicable, distance
from ntm.loading import criteria_with_indicators, results_by_assessment
from ntm.models import Assessment, Criterion, CriterionTarget, Indicator, IndicatorResult
from org.models import Unit
from plans.models import PlanItem


class CriterionLine(TypedDict):
    criterion: Criterion
    status: str
    indicators: list[tuple[Indicator, IndicatorResult | None]]  # those that apply
    unresolved: list[str]  # indicator codes with no threshold for the commune's region
    roadmap: int | None  # the year the commune plans to meet the criterion
    targets: list[PlanItem]  # the commune's plan targets linked to the criterion


def shown_assessment(of_year: list[Assessment], chosen: str) -> Assessment | None:
    """The year's assessment against the set asked for, else the year's first."""
    return next((a for a in of_year if a.criteria_set.code == chosen), None) or next(
        iter(of_year), None
    )


def planned_years(unit: Unit, criteria: list[Criterion]) -> dict[int, int]:
    """Criterion pk → the year the commune plans to meet it, for the criteria on its roadmap."""
    return dict(
        CriterionTarget.objects.filter(unit=unit, criterion__in=criteria).values_list(
            "criterion_id", "year"
        )
    )


def serving_targets(unit: Unit, criteria: list[Criterion]) -> dict[int, list[PlanItem]]:
    """Criterion pk → the commune's plan targets linked to it, with their plans."""
    served: dict[int, list[PlanItem]] = defaultdict(list)
    through = Criterion.plan_items.through.objects.filter(
        criterion__in=criteria, planitem__plan__unit=unit
    ).select_related("planitem__plan")
    for link in through:
        served[link.criterion_id].append(link.planitem)
    return served


def criterion_lines(
    unit: Unit, assessment: Assessment | None
) -> tuple[Distance | None, list[CriterionLine]]:
    """The commune's distance to the standard of the assessment's set, and one line per
    criterion; nothing without an assessment."""
    if assessment is None:
        return None, []
    criteria, indicators = criteria_with_indicators(assessment.criteria_set)
    results = results_by_assessment([assessment])[assessment.pk]
    gap = distance(criteria, indicators, results, assessment.region)
    roadmap = planned_years(unit, criteria)
    served = serving_targets(unit, criteria)
    lines = [
        CriterionLine(
            criterion=criterion,
            status=gap.statuses[criterion.pk],
            indicators=[
                (i, results.get(i.pk))
                for i in applicable(indicators.get(criterion.pk, []), assessment.region)[0]
            ],
            unresolved=gap.unresolved.get(criterion.pk, []),
            roadmap=roadmap.get(criterion.pk),
            targets=served.get(criterion.pk, []),
        )
        for criterion in criteria
    ]
    return gap, lines
