"""The roof's tasks: the daily reminder pass, for a worker to run."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from portal.reminders import run_pass


@task()
def reminder_pass(day: str = "") -> dict[str, int]:
    """One đôn đốc pass for `day` (ISO date; today in Vietnam's time by default)."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    result = run_pass(today)
    return {
        "reminders": result.reminders.reminders,
        "escalations": result.reminders.escalations,
        "digests": result.digests,
        "requeued": result.requeued,
    }
