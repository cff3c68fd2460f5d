"""Loading criteria sets and assessment results in the shapes `ntm.distance` reads.

Shared by the board, a commune's page and the assessment form: the sets in force in a year,
a set's criteria with their indicators by criterion, and the results of assessments by
indicator. One query each, whatever the number of criteria or communes.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from ntm.models import Assessment, CriteriaSet, Criterion, Indicator, IndicatorResult


def sets_in_force(year: int) -> list[CriteriaSet]:
    return list(
        CriteriaSet.objects.filter(valid_from__year__lte=year)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year))
        .order_by("level", "-valid_from")
    )


def criteria_with_indicators(
    criteria_set: CriteriaSet,
) -> tuple[list[Criterion], dict[int, list[Indicator]]]:
    """The set's criteria in number order, and their indicators by criterion pk."""
    criteria = list(criteria_set.criteria.select_related("group").order_by("number"))
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(criterion__criteria_set=criteria_set):
        indicators[indicator.criterion_id].append(indicator)
    return criteria, indicators


def results_by_assessment(
    assessments: list[Assessment],
) -> dict[int, dict[int, IndicatorResult]]:
    """Assessment pk → indicator pk → result; an assessment without results reads as empty."""
    by_assessment: dict[int, dict[int, IndicatorResult]] = defaultdict(dict)
    for result in IndicatorResult.objects.filter(assessment__in=assessments):
        by_assessment[result.assessment_id][result.indicator_id] = result
    return by_assessment
