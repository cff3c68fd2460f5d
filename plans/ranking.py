"""Xếp hạng: communes ranked by their progress in a period, from the maintained summaries.

The measure is the dashboards' (the share of targets achieved or on track, ReportSummary
.good_share) of the plan in force (approved, not superseded). Equal shares share a place
(1, 1, 3); a commune with no summary or no targets comes last, unranked.
"""

from __future__ import annotations

from dataclasses import dataclass

from org.models import Unit
from plans.models import Period, PlanStatus, ReportSummary


@dataclass(frozen=True)
class Ranked:
    unit: Unit
    summary: ReportSummary | None
    place: int | None  # None: nothing to rank it by

    @property
    def share(self) -> float | None:
        return self.summary.good_share if self.summary is not None else None


def rank_by_progress(units: list[Unit], period: Period) -> list[Ranked]:
    """The units best first, then those without figures in code order. One query."""
    summaries = {
        summary.unit_id: summary
        for summary in ReportSummary.objects.filter(
            unit__in=units, period=period, plan__status=PlanStatus.APPROVED
        )
    }
    measured = [u for u in units if summaries.get(u.pk) and summaries[u.pk].good_share is not None]
    measured.sort(key=lambda u: (-summaries[u.pk].good_share, u.code))
    ranked, place, last_share = [], 0, None
    for position, unit in enumerate(measured, start=1):
        share = summaries[unit.pk].good_share
        if share != last_share:
            place, last_share = position, share
        ranked.append(Ranked(unit=unit, summary=summaries[unit.pk], place=place))
    unranked = sorted((u for u in units if u not in measured), key=lambda u: u.code)
    return ranked + [Ranked(unit=u, summary=summaries.get(u.pk), place=None) for u in unranked]
