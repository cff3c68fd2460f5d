"""Đôn đốc: the reminder schedule of a deadline, and one day's pass over many deadlines.

Each deadline — a directive to carry out, a period report to send — is reminded on the
steps of its supervising unit's `ReminderPolicy` (by default 7, 3 and 1 days before, on the
day, then every 7 days after), and its unit's leader hears of it once the unit has been
reminded `escalate_after` times past the deadline. Reminders go out on working days: a step
before the deadline that falls on a weekend or holiday is sent on the working day before
it, so the warning still comes in time; a step after the deadline, on the working day
after. The deadline itself stays as the portal shows it everywhere else.

A pass sends, for each deadline, the latest step whose day has come (a pass missed for a
few days catches up with one reminder, not a burst). Every reminder is a notification whose
key names the deadline, its date and the step, so a second pass on the same day — or a
retried one — sends nothing twice. The domains say what is due (`Deadline`); this module
does not know what a directive or a report is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from org.models import (
    REMINDER_KINDS,
    Delivery,
    Notification,
    NotificationKind,
    ReminderPolicy,
    Role,
    User,
)
from org.notify import leaders_of, tell

WorkingDay = Callable[[datetime.date], bool]


@dataclass(frozen=True)
class Rules:
    """A supervising unit's schedule (`ReminderPolicy`), or the default one."""

    before: tuple[int, ...] = (7, 3, 1)
    on_the_day: bool = True
    every_after: int = 7
    escalate_after: int = 2

    @classmethod
    def of(cls, policy: ReminderPolicy) -> Rules:
        return cls(policy.before, policy.on_the_day, policy.every_after, policy.escalate_after)


@dataclass(frozen=True)
class Step:
    """One reminder of a deadline: "b7" seven days before, "d0" on the day, "a2" the second
    after it; `day` is the working day it is sent on."""

    code: str
    day: datetime.date
    overdue: int = 0  # the n-th reminder after the deadline; 0 before it


@dataclass(frozen=True)
class Deadline:
    """Something a unit must do by a day, as a domain describes it."""

    topic: str  # "directive:42", "report:17:36": the key of its đôn đốc log
    unit_id: int  # the unit that must act (the lead unit)
    unit_name: str
    supervisors: tuple[int, ...]  # the units above it, nearest first: whose policy applies
    due: datetime.date
    what: str  # "Báo cáo Quý III/2026", a directive's text
    url: str


def weekday_or_listed(holidays: Iterable[datetime.date]) -> WorkingDay:
    """Monday to Friday, except the given days off."""
    off = set(holidays)
    return lambda day: day.weekday() < 5 and day not in off


def _back(day: datetime.date, working: WorkingDay) -> datetime.date:
    while not working(day):
        day -= datetime.timedelta(days=1)
    return day


def _forward(day: datetime.date, working: WorkingDay) -> datetime.date:
    while not working(day):
        day += datetime.timedelta(days=1)
    return day


def schedule(
    due: datetime.date, rules: Rules, working: WorkingDay, *, overdue: int = 3
) -> list[Step]:
    """Every step of a deadline in time order, with the first `overdue` steps after it."""
    steps = [
        Step(f"b{days}", _back(due - datetime.timedelta(days=days), working))
        for days in sorted(rules.before, reverse=True)
    ]
    if rules.on_the_day:
        steps.append(Step("d0", _back(due, working)))
    steps += [
        Step(f"a{n}", _forward(due + datetime.timedelta(days=n * rules.every_after), working), n)
        for n in range(1, overdue + 1)
    ]
    return steps


def current_step(
    due: datetime.date, rules: Rules, today: datetime.date, working: WorkingDay
) -> Step | None:
    """The step a pass on `today` sends: the latest one whose day has come, if any."""
    if today > due:
        n = (today - due).days // rules.every_after
        while n >= 1:
            day = _forward(due + datetime.timedelta(days=n * rules.every_after), working)
            if day <= today:
                return Step(f"a{n}", day, n)
            n -= 1
    reached = [step for step in schedule(due, rules, working, overdue=0) if step.day <= today]
    return reached[-1] if reached else None


@dataclass(frozen=True)
class PassResult:
    """What a pass did: the deadlines it looked at, the reminders and escalations it wrote
    (none already written by an earlier pass)."""

    deadlines: int
    reminders: int
    escalations: int


def remind(deadlines: list[Deadline], today: datetime.date, working: WorkingDay) -> PassResult:
    """One day's pass: remind each deadline's unit of its current step and tell the leader
    of what stays overdue. A fixed number of queries, whatever the number of deadlines
    (the writes go a thousand rows at a time)."""
    policies = {policy.unit_id: Rules.of(policy) for policy in ReminderPolicy.objects.all()}
    default = Rules()
    due_now: list[tuple[Deadline, Step, Rules]] = []
    for deadline in deadlines:
        rules = next((policies[pk] for pk in deadline.supervisors if pk in policies), default)
        step = current_step(deadline.due, rules, today, working)
        if step is not None:
            due_now.append((deadline, step, rules))
    units = {deadline.unit_id for deadline, _step, _rules in due_now}
    staff: dict[int, list[User]] = {}
    for user in User.objects.filter(unit__in=units, role=Role.COMMUNE_STAFF, is_active=True):
        staff.setdefault(user.unit_id, []).append(user)
    escalating = [
        (deadline, step)
        for deadline, step, rules in due_now
        if step.overdue >= rules.escalate_after
    ]
    leaders = leaders_of(sorted({pk for d, _s in escalating for pk in (d.unit_id, *d.supervisors)}))
    rows: list[Notification] = []
    for deadline, step, _rules in due_now:
        kind = NotificationKind.OVERDUE if step.overdue else NotificationKind.DEADLINE_NEAR
        key = f"reminder:{deadline.topic}:{deadline.due.isoformat()}:{step.code}"
        note = _reminder_note(deadline.due, step, today)
        rows += [
            Notification(
                recipient=user,
                kind=kind,
                subject=deadline.what[:300],
                note=note,
                url=deadline.url,
                key=key,
                topic=deadline.topic,
            )
            for user in staff.get(deadline.unit_id, [])
        ]
    escalations: list[Notification] = []
    for deadline, step in escalating:
        # the lead unit's leader; a commune without a leader's account, its supervisor's
        people = next(
            (leaders[pk] for pk in (deadline.unit_id, *deadline.supervisors) if pk in leaders), []
        )
        note = _("Quá hạn %(days)d ngày (hạn %(due)s); đã đôn đốc %(times)d lần.") % {
            "days": (today - deadline.due).days,
            "due": f"{deadline.due:%d/%m/%Y}",
            "times": step.overdue,
        }
        for user in people:
            escalations.append(
                Notification(
                    recipient=user,
                    kind=NotificationKind.ESCALATED,
                    subject=f"{deadline.unit_name}: {deadline.what}"[:300],
                    note=note,
                    url=deadline.url,
                    key=f"escalated:{deadline.topic}:{deadline.due.isoformat()}",
                    topic=deadline.topic,
                )
            )
    told = tell(rows + escalations)
    return PassResult(
        deadlines=len(deadlines),
        reminders=told[NotificationKind.DEADLINE_NEAR] + told[NotificationKind.OVERDUE],
        escalations=told[NotificationKind.ESCALATED],
    )


def _reminder_note(due: datetime.date, step: Step, today: datetime.date) -> str:
    day = f"{due:%d/%m/%Y}"
    left = (due - today).days
    if left > 0:
        return _("Hạn %(due)s, còn %(n)d ngày.") % {"due": day, "n": left}
    if left == 0:
        return _("Hạn là hôm nay, %(due)s.") % {"due": day}
    return _("Quá hạn %(n)d ngày (hạn %(due)s). Đôn đốc lần %(times)d.") % {
        "n": -left,
        "due": day,
        "times": max(step.overdue, 1),
    }


def step_label(key: str) -> str:
    """What a reminder's key says of its step: "3 ngày trước hạn", "quá hạn, lần 2"."""
    if key.startswith("escalated:"):
        return _("báo lãnh đạo")
    code = key.rsplit(":", 1)[-1]
    letter, number = code[:1], code[1:]
    if not number.isdigit():
        return ""
    if letter == "b":
        return _("%(n)s ngày trước hạn") % {"n": number}
    if letter == "d":
        return _("đúng ngày hạn")
    if letter == "a":
        return _("quá hạn, lần %(n)s") % {"n": number}
    return ""


@dataclass(frozen=True)
class LogRow:
    """One reminder in a đôn đốc log: to whom, when, which step, how each channel fared."""

    notification: Notification
    step: str
    deliveries: list[Delivery]


def reminder_log(topic: str, limit: int = 100) -> list[LogRow]:
    """The reminders and escalations about `topic`, newest first. Two queries."""
    rows = (
        Notification.objects.filter(topic=topic, kind__in=REMINDER_KINDS)
        .select_related("recipient")
        .prefetch_related("deliveries")[:limit]
    )
    return [LogRow(row, step_label(row.key), list(row.deliveries.all())) for row in rows]
