"""The directives a reminder pass chases: every open one the unit has yet to answer."""

from __future__ import annotations

import datetime

from inspections.models import Directive
from org.reminders import Deadline


def directive_topic(pk: int) -> str:
    """What a directive's notifications are about: its đôn đốc log reads by it."""
    return f"directive:{pk}"


def directive_deadlines(today: datetime.date) -> list[Deadline]:
    """Open directives awaiting the unit's report (one answered and awaiting verification
    is the office's turn, not the unit's). One query."""
    rows = Directive.objects.to_answer().select_related("unit__parent")
    return [
        Deadline(
            topic=directive_topic(directive.pk),
            unit_id=directive.unit_id,
            unit_name=directive.unit.full_name,
            supervisors=directive.unit.supervisor_ids,
            due=directive.deadline,
            what=directive.text,
            url=directive.get_absolute_url(),
        )
        for directive in rows
    ]
