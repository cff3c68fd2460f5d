"""The đôn đốc schedule, table-driven around deadlines in Vietnam's calendar: which step a
pass on each day sends, with deadlines on a weekday, a weekend and a holiday."""

from __future__ import annotations

import datetime

import pytest

from org.reminders import Rules, current_step, schedule, step_label, weekday_or_listed

D = datetime.date
# 1–2/9/2026: National Day (Tuesday and Wednesday)
WORKING = weekday_or_listed({D(2026, 9, 1), D(2026, 9, 2)})


DEFAULT = Rules()


def step(due: datetime.date, today: datetime.date, rules: Rules = DEFAULT) -> str | None:
    found = current_step(due, rules, today, WORKING)
    return found.code if found else None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # a Thursday deadline, 10/12/2026
        (D(2026, 12, 2), None),  # eight days before: nothing yet
        (D(2026, 12, 3), "b7"),
        (D(2026, 12, 5), "b7"),  # Saturday: nothing new, the last step stays b7
        (D(2026, 12, 7), "b3"),
        (D(2026, 12, 9), "b1"),
        (D(2026, 12, 10), "d0"),
        (D(2026, 12, 11), "d0"),  # the day after: the first overdue reminder is a week on
        (D(2026, 12, 17), "a1"),
        (D(2026, 12, 23), "a1"),
        (D(2026, 12, 24), "a2"),
        (D(2027, 3, 11), "a13"),
    ],
)
def test_a_weekday_deadline(today, expected) -> None:
    assert step(D(2026, 12, 10), today) == expected


def test_a_sunday_deadline_is_warned_on_the_working_days_before_and_chased_after() -> None:
    due = D(2026, 12, 13)  # Sunday
    days = {s.code: s.day for s in schedule(due, Rules(), WORKING, overdue=1)}
    assert days == {
        "b7": D(2026, 12, 4),  # Sunday 6/12 → Friday
        "b3": D(2026, 12, 10),
        "b1": D(2026, 12, 11),  # Saturday → Friday
        "d0": D(2026, 12, 11),  # Sunday → Friday, with b1: one reminder, the later step
        "a1": D(2026, 12, 21),  # Sunday 20/12 → Monday
    }
    assert step(due, D(2026, 12, 11)) == "d0"
    assert step(due, D(2026, 12, 20)) == "d0"
    assert step(due, D(2026, 12, 21)) == "a1"


def test_a_deadline_on_a_holiday() -> None:
    due = D(2026, 9, 2)  # National Day
    assert step(due, D(2026, 8, 28)) == "b3"  # Sunday 30/8 → Friday 28/8
    assert step(due, D(2026, 8, 31)) == "d0"  # 1/9 and 2/9 are off: Monday 31/8
    assert step(due, D(2026, 9, 1)) == "d0"
    assert step(due, D(2026, 9, 9)) == "a1"


def test_a_unit_policy_moves_every_step() -> None:
    rules = Rules(before=(5,), on_the_day=False, every_after=3, escalate_after=1)
    due = D(2026, 12, 10)
    assert step(due, D(2026, 12, 3), rules) is None
    assert step(due, D(2026, 12, 4), rules) == "b5"  # Saturday 5/12 → sent on Friday
    assert step(due, D(2026, 12, 10), rules) == "b5"
    assert step(due, D(2026, 12, 14), rules) == "a1"  # Sunday 13/12 → Monday
    assert step(due, D(2026, 12, 16), rules) == "a2"


def test_each_step_has_a_vietnamese_label() -> None:
    assert step_label("reminder:directive:4:2026-12-10:b3") == "3 ngày trước hạn"
    assert step_label("reminder:directive:4:2026-12-10:d0") == "đúng ngày hạn"
    assert step_label("reminder:report:1:2:2026-12-10:a2") == "quá hạn, lần 2"
    assert step_label("escalated:directive:4:2026-12-10") == "báo lãnh đạo"
