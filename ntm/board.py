"""The district NTM board: which criteria set it shows for a year, one row per commune with
its status on each criterion and its distance to the standard, and how far each goal has got.

The communes, their assignments and recognitions come in already fetched through the user's
scope; the rows cost a fixed number of queries (the set's criteria, indicators, assessments
and results) whatever the number of communes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TypedDict

from django.db.models import QuerySet

from ntm.distance import Distance, distance
from ntm.loading import criteria_with_indicators, results_by_assessment
from ntm.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    NtmAssignment,
    NtmGoal,
    Recognition,
)
from org.models import Unit


class BoardRow(TypedDict):
    unit: Unit
    assessment: Assessment | None
    distance: Distance | None  # None until the commune is assessed against the set
    cells: list[tuple[Criterion, str | None]]  # each criterion with the commune's status
    assignments: list[NtmAssignment]
    recognition: Recognition | None


def shown_set(
    sets: list[CriteriaSet], chosen: str, assessments_of_year: QuerySet[Assessment]
) -> CriteriaSet | None:
    """The set asked for; else the one most of the year's assessments use, so the board opens
    on what the communes were actually assessed against; else the first set in force."""
    counts = Counter(assessments_of_year.values_list("criteria_set__code", flat=True))
    commonest = counts.most_common(1)[0][0] if counts else ""
    for code in (chosen, commonest):
        found = next((s for s in sets if s.code == code), None)
        if found is not None:
            return found
    return sets[0] if sets else None


def board_rows(
    units: list[Unit],
    year: int,
    criteria_set: CriteriaSet | None,
    assignments: list[NtmAssignment],
    recognitions: list[Recognition],
) -> tuple[list[Criterion], list[BoardRow]]:
    """The set's criteria (the columns) and one row per commune, in the order of `units`."""
    if criteria_set is None:
        return [], []
    criteria, indicators = criteria_with_indicators(criteria_set)
    assessments = list(
        Assessment.objects.filter(unit__in=units, year=year, criteria_set=criteria_set)
    )
    results = results_by_assessment(assessments)
    by_unit = {a.unit_id: a for a in assessments}
    assigned: dict[int, list[NtmAssignment]] = defaultdict(list)
    for assignment in assignments:
        assigned[assignment.unit_id].append(assignment)
    recognized = {r.unit_id: r for r in recognitions}
    rows = []
    for unit in units:
        assessment = by_unit.get(unit.pk)
        gap = (
            distance(criteria, indicators, results[assessment.pk], assessment.region)
            if assessment
            else None
        )
        rows.append(
            BoardRow(
                unit=unit,
                assessment=assessment,
                distance=gap,
                cells=[(c, gap.statuses[c.pk] if gap else None) for c in criteria],
                assignments=assigned.get(unit.pk, []),
                recognition=recognized.get(unit.pk),
            )
        )
    return criteria, rows


def goal_progress(
    goals: Iterable[NtmGoal],
    assignments: list[NtmAssignment],
    recognitions: list[Recognition],
) -> list[NtmGoal]:
    """The goals, each given `assigned` and `achieved`: the communes below the goal's own
    unit assigned its level this year and those recognized at it. Another unit's communes,
    in scope for the reader too, never count towards this goal. Rows come with
    `unit__parent` loaded."""
    progressed = list(goals)
    for goal in progressed:
        goal.assigned = sum(
            1 for a in assignments if a.level == goal.level and _below(a.unit, goal.unit_id)
        )
        goal.achieved = sum(
            1 for r in recognitions if r.level == goal.level and _below(r.unit, goal.unit_id)
        )
    return progressed


def _below(unit: Unit, root_id: int) -> bool:
    """The commune is under `root_id`: its district, or (before 2025) its district's province."""
    parent = unit.parent
    return parent is not None and root_id in (parent.pk, parent.parent_id)
