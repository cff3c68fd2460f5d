"""Load the demo's new-rural (NTM) data and ratings from `data/demo/ntm.toml` (idempotent)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ntm.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionTarget,
    IndicatorResult,
    NtmAssignment,
    NtmGoal,
    Rating,
    Recognition,
)
from org.models import User
from plans.models import CommunePlan, ItemKind, PlanStatus
from portal.demo.reference import decimal_or_none, resolve_unit, upsert


def load_ntm(data: dict) -> None:
    """NTM goals, assignments, assessments, roadmap, recognitions, criterion links, ratings."""
    sets = {s.code: s for s in CriteriaSet.objects.prefetch_related("criteria__indicators")}
    _load_goals(data["goal"])
    _load_assignments(data["assignment"], sets)
    config = data["assessment"]
    criteria_set = sets[config["set"]]
    _load_assessments(config, criteria_set)
    criteria = {c.number: c for c in criteria_set.criteria.all()}
    day = datetime.date(config["year"], 12, 31)
    _load_roadmap(data["roadmap"], criteria, day)
    _load_recognitions(data["recognition"], day)
    _link_criteria(data["criterion_link"], criteria)
    _load_ratings(data["rating"])


def _load_goals(rows: list[dict]) -> None:
    for row in rows:
        unit = resolve_unit(row["unit"], datetime.date(row["year"], 6, 30))
        upsert(
            NtmGoal,
            {"unit": unit, "year": row["year"], "level": row["level"]},
            {"count": row["count"], "source": row["source"]},
        )


def _load_assignments(rows: list[dict], sets: dict[str, CriteriaSet]) -> None:
    for row in rows:
        day = datetime.date(row["year"], 6, 30)
        for code in row["units"]:
            upsert(
                NtmAssignment,
                {"unit": resolve_unit(code, day), "year": row["year"], "level": row["level"]},
                {"criteria_set": sets[row["set"]], "source": row["source"]},
            )


def _load_assessments(config: dict, criteria_set: CriteriaSet) -> None:
    """Both columns for each commune: what it reported itself, what the district appraised."""
    day = datetime.date(config["year"], 12, 31)
    self_by = User.objects.get(username=config["by_self"])
    appraiser = User.objects.get(username=config["by_appraisal"])
    moment = timezone.make_aware(datetime.datetime(config["year"], 12, 10, 9))
    for code, statuses in config["units"].items():
        appraised = statuses.get("appraised_missing")
        assessment = upsert(
            Assessment,
            {"unit": resolve_unit(code, day), "criteria_set": criteria_set, "year": day.year},
            {
                "self_by": self_by,
                "self_at": moment,
                "appraised_by": appraiser if appraised is not None else None,
                "appraised_at": moment + datetime.timedelta(days=5)
                if appraised is not None
                else None,
            },
        )
        for criterion in criteria_set.criteria.all():
            _load_results(assessment, criterion, statuses, appraised)


def _load_results(
    assessment: Assessment, criterion: Criterion, statuses: dict, appraised: list[int] | None
) -> None:
    self_met = (
        None
        if criterion.number in statuses.get("no_data", [])
        else (criterion.number not in statuses["self_missing"])
    )
    appraised_met = None if appraised is None else criterion.number not in appraised
    for indicator in criterion.indicators.all():
        upsert(
            IndicatorResult,
            {"assessment": assessment, "indicator": indicator},
            {"self_met": self_met, "appraised_met": appraised_met},
        )


def _load_roadmap(rows: list[dict], criteria: dict[int, Criterion], day: datetime.date) -> None:
    for row in rows:
        unit = resolve_unit(row["unit"], day)
        for number, year in row["criteria"].items():
            upsert(
                CriterionTarget, {"unit": unit, "criterion": criteria[int(number)]}, {"year": year}
            )


def _load_recognitions(rows: list[dict], day: datetime.date) -> None:
    for row in rows:
        upsert(
            Recognition,
            {"unit": resolve_unit(row["unit"], day), "level": row["level"], "year": row["year"]},
            {"decision": row["decision"], "decided_on": row.get("decided_on")},
        )


def _link_criteria(rows: list[dict], criteria: dict[int, Criterion]) -> None:
    """Link criteria to the plan targets that serve them, found by the target's opening."""
    for row in rows:
        plan = (
            CommunePlan.objects.filter(
                unit__code=row["unit"], year=row["year"], status=PlanStatus.APPROVED
            )
            .order_by("-revision")
            .first()
        )
        for number, start in row["links"].items():
            items = plan.items.filter(kind=ItemKind.TARGET, text__startswith=start)
            criteria[int(number)].plan_items.add(*items)


def _load_ratings(rows: list[dict]) -> None:
    """Scored ratings derive their level; the others give the level directly."""
    for row in rows:
        day = datetime.date(row["year"], 12, 31)
        for code, score in row.get("scores", {}).items():
            unit = resolve_unit(code, day)
            rating = Rating.objects.filter(
                unit=unit, organisation=row["organisation"], year=row["year"]
            ).first() or Rating(unit=unit, organisation=row["organisation"], year=row["year"])
            if rating.pk is not None and rating.score == decimal_or_none(score):
                continue  # unchanged: no save, no history row
            rating.score = decimal_or_none(score)
            rating.full_clean()
            rating.save()
        for code, level in row.get("levels", {}).items():
            upsert(
                Rating,
                {
                    "unit": resolve_unit(code, day),
                    "organisation": row["organisation"],
                    "year": row["year"],
                    "quarter": None,
                },
                {"level": level, "score": None},
            )
