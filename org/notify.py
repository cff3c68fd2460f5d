"""Telling people about events: who hears of what, and the in-app notification itself.

The domains call `notify` inside the transaction of the event, so a notification exists
exactly when its event does; `Notification.key` makes telling an event twice harmless. The
people are chosen here, by role and unit (`commune_staff`, `office_staff_over`), so the
domains say what happened and to which unit, not who should read it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

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
    actor: User | None = None,
) -> int:
    """Tell `recipients` (but not the one who acted) about an event; one query. How many
    were told; an event already told to someone is not told again."""
    rows = [
        Notification(recipient=user, kind=kind, subject=subject[:300], url=url, key=key, note=note)
        for user in {user.pk: user for user in recipients}.values()
        if actor is None or user.pk != actor.pk
    ]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def withdraw(key_prefix: str) -> int:
    """Take back the notifications of an event undone (a directive withdrawn); one query."""
    deleted, _by_model = Notification.objects.filter(key__startswith=key_prefix).delete()
    return deleted
