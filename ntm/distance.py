"""Reading NTM assessments: each criterion met, not met or without data, and the distance
to the standard (criteria met of the total, which are missing).

Pure functions over rows already loaded, so a board of many communes costs a fixed number
of queries. An indicator's result is the district's appraisal when it has one, otherwise
the commune's self-assessment; a criterion is met when every indicator that applies to the
commune is met, not met when any is not, and without data otherwise.

Which threshold applies: an indicator may come in variants by region or commune group (the
same code, one threshold per `region`). The commune's region or group (`Assessment.region`)
picks its variant; a variant for everyone (blank region) is the fallback. When neither
exists — the commune's region or group is not set, or the set has no threshold for it — the
indicator is *unresolved*: its criterion cannot be met and the pages say why. None is
skipped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.models import Criterion, Indicator, IndicatorResult


class CriterionStatus(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NO_DATA = "no_data", _("Chưa có số liệu")


def result_met(indicator: Indicator, result: IndicatorResult | None) -> bool | None:
    """The appraisal when there is one, else the commune's own answer."""
    if result is None:
        return None
    if result.appraised_met is not None or result.appraised_value is not None:
        return indicator.is_met(result.appraised_met, result.appraised_value)
    return indicator.is_met(result.self_met, result.self_value)


def applicable(indicators: Iterable[Indicator], region: str) -> tuple[list[Indicator], list[str]]:
    """The indicators that apply to a commune of `region` (one per code: its region's
    variant, else the one for everyone), and the codes with no threshold for it."""
    by_code: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_code.setdefault(indicator.code, []).append(indicator)
    chosen, unresolved = [], []
    for code, variants in by_code.items():
        own = next((v for v in variants if region and v.region == region), None)
        general = next((v for v in variants if not v.region), None)
        if own or general:
            chosen.append(own or general)
        else:
            unresolved.append(code)
    return chosen, unresolved


def regions(indicators: Iterable[Indicator]) -> list[str]:
    """The regions or commune groups a set's thresholds distinguish, in order."""
    return sorted({i.region for i in indicators if i.region})


def criterion_status(
    indicators: Iterable[Indicator], results: dict[int, IndicatorResult], region: str = ""
) -> str:
    chosen, unresolved = applicable(indicators, region)
    answers = [result_met(i, results.get(i.pk)) for i in chosen]
    if any(answer is False for answer in answers):
        return CriterionStatus.NOT_MET
    if not answers or unresolved:
        return CriterionStatus.NO_DATA
    if all(answer is True for answer in answers):
        return CriterionStatus.MET
    return CriterionStatus.NO_DATA


@dataclass
class Distance:
    """How far a commune is from the standard of one criteria set."""

    statuses: dict[int, str]  # criterion pk → status
    criteria: list[Criterion] = field(repr=False)
    # criterion pk → indicator codes with no threshold for the commune's region or group
    unresolved: dict[int, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.criteria)

    @property
    def met(self) -> int:
        return sum(1 for s in self.statuses.values() if s == CriterionStatus.MET)

    @property
    def missing(self) -> list[Criterion]:
        """Criteria not met, or without data: what stands between the commune and the level."""
        return [c for c in self.criteria if self.statuses[c.pk] != CriterionStatus.MET]

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.met == self.total


def distance(
    criteria: list[Criterion],
    indicators_by_criterion: dict[int, list[Indicator]],
    results: dict[int, IndicatorResult],
    region: str = "",
) -> Distance:
    statuses, unresolved = {}, {}
    for c in criteria:
        indicators = indicators_by_criterion.get(c.pk, [])
        statuses[c.pk] = criterion_status(indicators, results, region)
        if codes := applicable(indicators, region)[1]:
            unresolved[c.pk] = codes
    return Distance(statuses=statuses, criteria=criteria, unresolved=unresolved)
