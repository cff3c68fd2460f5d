"""Directive counts by the four official deadline classes, computed in one query.

`deadline_class()` classifies one directive in Python; these are the same rules as SQL
conditions so that a campaign's, a delegation's or a commune's rates are one GROUP BY.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from inspections.models import DeadlineClass

# The two classes of a completed directive: they do not depend on the day.
DONE_ON_TIME = Q(completed_on__isnull=False, completed_on__lte=F("deadline"))
DONE_LATE = Q(completed_on__gt=F("deadline"))


def class_conditions(today: datetime.date) -> dict[str, Q]:
    return {
        DeadlineClass.DONE_ON_TIME: DONE_ON_TIME,
        DeadlineClass.DONE_LATE: DONE_LATE,
        DeadlineClass.OPEN_IN_TIME: Q(completed_on__isnull=True, deadline__gte=today),
        DeadlineClass.OPEN_OVERDUE: Q(completed_on__isnull=True, deadline__lt=today),
    }


@dataclass(frozen=True)
class Rates:
    done_on_time: int = 0
    done_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0

    @property
    def total(self) -> int:
        return self.done_on_time + self.done_late + self.open_in_time + self.open_overdue

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def done_percent(self) -> float | None:
        return 100 * self.done / self.total if self.total else None

    @property
    def on_time_percent(self) -> float | None:
        """Share of directives done on time among all directives issued."""
        return 100 * self.done_on_time / self.total if self.total else None

    def counts(self) -> list[tuple[str, str, int]]:
        """(class, label, count) in the official order, for templates."""
        return [(c.value, c.label, getattr(self, c.value)) for c in DeadlineClass]


def _aggregates(today: datetime.date) -> dict[str, Count]:
    return {name: Count("pk", filter=q) for name, q in class_conditions(today).items()}


def rates(directives: QuerySet, today: datetime.date) -> Rates:
    return Rates(**directives.aggregate(**_aggregates(today)))


def rates_by(directives: QuerySet, key: str, today: datetime.date) -> dict[object, Rates]:
    """Rates per value of `key` (e.g. "unit", "visit__delegation")."""
    rows = directives.order_by().values(key).annotate(**_aggregates(today))
    return {row.pop(key): Rates(**row) for row in rows}
