"""Writes to the plan chain. Every state change goes through a function here."""

from __future__ import annotations

from django.db import transaction

from plans.models import PERIODS_PER_YEAR, Period


@transaction.atomic
def create_periods(year: int) -> list[Period]:
    """Make sure the year's 19 reporting periods exist (12 months, 4 quarters, 2 halves, 1 year)."""
    periods = []
    for kind, count in PERIODS_PER_YEAR.items():
        for index in range(1, count + 1):
            start, end = Period.bounds(kind, year, index)
            period, _created = Period.objects.get_or_create(
                kind=kind, year=year, index=index, defaults={"start": start, "end": end}
            )
            periods.append(period)
    return periods
