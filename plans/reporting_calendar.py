"""The reporting calendar of Nghị định 09/2019/NĐ-CP: data cut-off windows and deadlines.

A period's figures are those of its cut-off window (Article 12), not of its calendar months:
- a month runs from the 15th of the month before to the 14th of the month itself;
- a quarter from the 15th of the month before it starts to the 14th of its last month;
- the first half-year from 15/12 of the previous year to 14/6, the second from 15/6 to 14/12;
- the year from 15/12 of the previous year to 14/12.

The report is due N working days after the cut-off (the window's last day); each supervising
unit chooses N (by default 2). Saturdays, Sundays and the holidays in the `Holiday` table
(loaded from `data/holidays.csv`, editable in the admin) are not working days.

Pure functions: the caller passes the holidays it has read.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

CUTOFF_DAY = 14  # the last day of a window; the next window starts the day after
DEFAULT_WORKING_DAYS = 2
MAX_WORKING_DAYS = 30
MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def cutoff_window(kind: str, year: int, index: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the figures a period reports (its cut-off window)."""
    months = MONTHS_PER_PERIOD[kind]
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    start_year, start_month = _month_before(year, first_month)
    return (
        datetime.date(start_year, start_month, CUTOFF_DAY + 1),
        datetime.date(year, last_month, CUTOFF_DAY),
    )


def is_working_day(day: datetime.date, holidays: Collection[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    day: datetime.date, count: int, holidays: Collection[datetime.date]
) -> datetime.date:
    """The `count`-th working day after `day` (`day` itself does not count)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            count -= 1
    return day


def report_deadline(
    cutoff: datetime.date, working_days: int, holidays: Collection[datetime.date]
) -> datetime.date:
    """When a report whose window ends on `cutoff` is due."""
    return add_working_days(cutoff, working_days, holidays)
