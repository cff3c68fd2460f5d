"""Telling people about events: who hears of what, and the in-app notification itself.

The domains call `notify` inside the transaction of the event, so a notification exists
exactly when its event does; `Notification.key` makes telling an event twice harmless. The
people are chosen here, by role and unit (`commune_staff`, `office_staff_over`,
`leaders_of`), so the domains say what happened and to which unit, not who should read it.
Each notification written is also planned for the channels beyond the portal
(`org.delivery.plan`): sent by e-mail once the event commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from org import delivery
from org.models import Notification, Role, Unit, User


def commune_staff(unit: Unit) -> QuerySet[User]:
    """The people who work for the unit itself (its commune staff)."""
    return User.objects.filter(unit=unit, role=Role.COMMUNE_STAFF, is_active=True)


def office_staff_over(unit: Unit) -> QuerySet[User]:
    """The office staff of the units above `unit` (its district and province), who review
    its plans and follow up its directives."""
    above = [pk for pk in (unit.parent_id, unit.parent.parent_id if unit.parent else None) if pk]
    return User.objects.filter(unit__in=above, role=Role.DISTRICT_STAFF, is_active=True)


def notify(
    kind: str,
    recipients: Iterable[User],
    *,
    subject: str,
    url: str,
    key: str,
    note: str = "",
    topic: str = "",
    actor: User | None = None,
) -> int:
    """Tell `recipients` (but not the one who acted) about an event. How many were told
    now: an event already told to someone is not told again."""
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            subject=subject[:300],
            url=url,
            key=key,
            note=note,
            topic=topic,
        )
        for user in {user.pk: user for user in recipients}.values()
        if actor is None or user.pk != actor.pk
    ]
    return sum(tell(rows).values())


def tell(rows: list[Notification]) -> Counter[str]:
    """Write notifications (those already written are skipped) and plan their sends. How
    many new ones of each kind."""
    if not rows:
        return Counter()
    since = timezone.now()
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return delivery.plan(since)


def leaders_of(unit_ids: list[int]) -> dict[int, list[User]]:
    """The active leaders of each unit, unit id → people; one query."""
    leaders: dict[int, list[User]] = {}
    for user in User.objects.filter(unit__in=unit_ids, role=Role.LEADER, is_active=True):
        leaders.setdefault(user.unit_id, []).append(user)
    return leaders


def withdraw(key_prefix: str) -> int:
    """Take back the notifications of an event undone (a directive withdrawn); one query."""
    deleted, _by_model = Notification.objects.filter(key__startswith=key_prefix).delete()
    return deleted
