"""The ground floor's tasks: sending notifications, one by one and as a daily digest."""

from __future__ import annotations

import datetime

from django_tasks import task

from org import delivery


@task()
def deliver(ids: list[int]) -> dict[str, int]:
    """Send these deliveries (each once, however often the task runs)."""
    return delivery.send(ids)


@task()
def send_digest(user_id: int, day: str) -> int:
    """The daily digest of one person."""
    return delivery.send_digest(user_id, datetime.date.fromisoformat(day))
