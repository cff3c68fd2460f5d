"""The daily đôn đốc pass: what the domains say is due, reminded on each unit's schedule,
then the day's digests and whatever sends a dead worker left behind.

`manage.py run_reminders` runs it from cron or a systemd timer; `portal.tasks.reminder_pass`
runs it on a worker. It is idempotent: a second pass on the same day sends nothing twice.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.db import transaction

from inspections.reminders import directive_deadlines
from org import delivery
from org.reminders import PassResult, remind
from plans.reminders import report_deadlines, working_days


@dataclass
class DayResult:
    reminders: PassResult
    digests: int
    requeued: int
    seconds: float


def run_pass(today: datetime.date) -> DayResult:
    """Remind every deadline due on `today`, queue the digests not yet sent on `today`,
    and hand the queue back what waits to be sent."""
    started = time.monotonic()
    with transaction.atomic():
        deadlines = directive_deadlines(today) + report_deadlines(today)
        result = remind(deadlines, today, working_days(today))
    digests = queue_digests(today)
    requeued = delivery.sweep()
    return DayResult(
        reminders=result,
        digests=digests,
        requeued=requeued,
        seconds=time.monotonic() - started,
    )


def queue_digests(today: datetime.date) -> int:
    from org.tasks import send_digest

    people = delivery.digests_due(today)
    for user_id in people:
        send_digest.enqueue(user_id, today.isoformat())
    return len(people)
