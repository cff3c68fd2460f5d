"""Taking notifications beyond the portal: plan each one's sends, send them, try again.

`plan` runs inside the event's transaction, right after the notifications are written: it
writes one `Delivery` per notification and channel, in the state the person chose for that
kind (at once → pending, digest → held, off → skipped), and asks the task queue to send the
pending ones once the transaction commits. Nothing is lost if the queue or a worker dies:
the rows are the truth, and `sweep` hands the queue whatever is due and not being sent.

A send is claimed first — one conditional UPDATE from pending to sending, which only one
worker can win — so two tasks for one delivery send once. A failed send goes back to
pending with a later `next_attempt_at` (1, 5, 25… minutes) until NOTIFY_MAX_ATTEMPTS, then
is failed, for the office to see and send again. The one gap left is a worker killed after
the mail server accepted a message and before the row says so: `sweep` sends it again after
STALE_CLAIM with the same Message-ID, the key a receiving server can recognise it by.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string

from org.channels import channel, channel_classes
from org.models import (
    ESCALATION_KINDS,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    Unit,
    User,
)

log = logging.getLogger(__name__)

BATCH = 50  # deliveries per send task
STALE_CLAIM = datetime.timedelta(minutes=15)


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failed try: 1, 5, 25, 125… minutes."""
    return datetime.timedelta(minutes=5 ** max(attempts - 1, 0))


def modes(users: Iterable[int], kinds: Iterable[str]) -> dict[tuple[int, str], str]:
    """The choices people made, (user id, kind) → mode; a kind not listed is at once."""
    rows = NotificationPreference.objects.filter(user_id__in=set(users), kind__in=set(kinds))
    return {(user, kind): mode for user, kind, mode in rows.values_list("user_id", "kind", "mode")}


def mode_for(choices: dict[tuple[int, str], str], user_id: int, kind: str) -> str:
    mode = choices.get((user_id, kind), DeliveryMode.INSTANT)
    if kind in ESCALATION_KINDS and mode == DeliveryMode.OFF:
        return DeliveryMode.INSTANT
    return mode


_STATUS = {
    DeliveryMode.INSTANT: DeliveryStatus.PENDING,
    DeliveryMode.DIGEST: DeliveryStatus.HELD,
    DeliveryMode.OFF: DeliveryStatus.SKIPPED,
}


def plan(since: datetime.datetime) -> Counter[str]:
    """Write the deliveries of every notification written since `since` that has none yet,
    and send the pending ones when the transaction commits. Three queries, however many
    (the writes a thousand rows at a time). How many notifications of each kind."""
    fresh = list(
        Notification.objects.filter(created_at__gte=since, deliveries__isnull=True)
        .select_related(None)
        .values_list("pk", "recipient_id", "kind", "recipient__email")
    )
    if not fresh:
        return Counter()
    choices = modes((row[1] for row in fresh), (row[2] for row in fresh))
    rows = []
    for pk, user_id, kind, email in fresh:
        for name, cls in channel_classes().items():
            status = _STATUS[mode_for(choices, user_id, kind)]
            reachable = bool(cls().address(User(email=email or "")))
            rows.append(
                Delivery(
                    notification_id=pk,
                    channel=name,
                    status=status if reachable else DeliveryStatus.SKIPPED,
                    error="" if reachable else "no address",
                )
            )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # robust: a queue that is down must not fail the event; the sweep sends them later
    transaction.on_commit(lambda: enqueue_due(since), robust=True)
    return Counter(kind for _pk, _user, kind, _email in fresh)


def enqueue(ids: list[int]) -> None:
    """Hand deliveries to the task queue, BATCH to a task."""
    from org.tasks import deliver  # the task module imports this one

    for start in range(0, len(ids), BATCH):
        deliver.enqueue(ids[start : start + BATCH])


def enqueue_due(since: datetime.datetime | None = None) -> int:
    """Hand the queue every pending delivery that is due (of notifications since `since`)."""
    now = timezone.now()
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if since is not None:
        due = due.filter(notification__created_at__gte=since)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    enqueue(ids)
    return len(ids)


def claim(pk: int) -> bool:
    """Take one delivery to send; False if it is not pending, not due, or someone has it."""
    now = timezone.now()
    return bool(
        Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def finish(deliveries: list[Delivery], error: Exception | None) -> list[int]:
    """Record how a send ended; the ids to try again later (already rescheduled)."""
    now = timezone.now()
    ids = [delivery.pk for delivery in deliveries]
    if error is None:
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENT, sent_at=now, error=""
        )
        return []
    text = f"{type(error).__name__}: {error}"[:2000]
    retry = []
    for delivery in deliveries:
        attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
        if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, error=text)
            log.warning("delivery %s failed after %s attempts: %s", delivery.pk, attempts, text)
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.HELD if delivery.batch else DeliveryStatus.PENDING,
                next_attempt_at=now + backoff(attempts),
                error=text,
                batch="",
            )
            retry.append(delivery.pk)
    return retry


def send(ids: list[int]) -> dict[str, int]:
    """Send the given deliveries, each once: the sending half of the `deliver` task."""
    claimed = [pk for pk in ids if claim(pk)]
    counts = {"sent": 0, "failed": 0, "skipped": len(ids) - len(claimed)}
    deliveries = Delivery.objects.filter(pk__in=claimed).select_related("notification__recipient")
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_channel[delivery.channel].append(delivery)
    later = []
    for name, batch in by_channel.items():
        way = channel(name)
        try:
            way.open()
        except Exception as error:
            later += finish(batch, error)
            counts["failed"] += len(batch)
            continue
        try:
            for delivery in batch:
                try:
                    way.send(delivery.notification.recipient, [delivery], digest=False)
                except Exception as error:
                    later += finish([delivery], error)
                    counts["failed"] += 1
                else:
                    finish([delivery], None)
                    counts["sent"] += 1
        finally:
            way.close()
    if later:
        retry_later(later)
    return counts


def retry_later(ids: list[int]) -> None:
    """Ask the queue to try these again when their backoff ends (the sweep would, too)."""
    from org.tasks import deliver

    when = Delivery.objects.filter(pk__in=ids).order_by("next_attempt_at").first()
    if when is None or when.next_attempt_at is None:
        return
    try:
        deliver.using(run_after=when.next_attempt_at).enqueue(ids)
    except Exception:
        log.warning("could not defer a retry of %s; the sweep will", ids)


def send_digest(user_id: int, day: datetime.date) -> int:
    """One message with everything `user_id` holds for the digest; how many it carried."""
    # this task's own claim: a second task for the same digest sends none of these rows
    batch = f"digest:{user_id}:{day.isoformat()}:{get_random_string(6)}"
    now = timezone.now()
    held = Delivery.objects.filter(
        notification__recipient_id=user_id, status=DeliveryStatus.HELD
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    Delivery.objects.filter(
        pk__in=list(held.values_list("pk", flat=True)), status=DeliveryStatus.HELD
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, batch=batch)
    carried = list(
        Delivery.objects.filter(batch=batch, status=DeliveryStatus.SENDING)
        .select_related("notification__recipient")
        .order_by("notification__created_at", "pk")
    )
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in carried:
        by_channel[delivery.channel].append(delivery)
    for name, deliveries in by_channel.items():
        way = channel(name)
        try:
            way.open()
            try:
                way.send(deliveries[0].notification.recipient, deliveries, digest=True)
            finally:
                way.close()
        except Exception as error:
            finish(deliveries, error)
        else:
            finish(deliveries, None)
    return len(carried)


def digests_due(day: datetime.date) -> list[int]:
    """The people holding digest deliveries who have had no digest on `day`."""
    holders = set(
        Delivery.objects.filter(status=DeliveryStatus.HELD).values_list(
            "notification__recipient_id", flat=True
        )
    )
    sent = {
        int(batch.split(":")[1])
        for batch in Delivery.objects.filter(
            batch__startswith="digest:", batch__contains=f":{day.isoformat()}:"
        )
        .values_list("batch", flat=True)
        .distinct()
    }
    return sorted(holders - sent)


def sweep() -> int:
    """Give the queue back what a dead worker or a lost task dropped: claims older than
    STALE_CLAIM return to pending (or held), then every pending delivery that should have
    been sent STALE_CLAIM ago is enqueued again. How many were."""
    stale = timezone.now() - STALE_CLAIM
    sending = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    sending.filter(batch="").update(status=DeliveryStatus.PENDING, next_attempt_at=None)
    sending.exclude(batch="").update(status=DeliveryStatus.HELD, batch="")
    lost = Delivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True, created_at__lt=stale) | Q(next_attempt_at__lt=stale)
    )
    ids = list(lost.order_by("pk").values_list("pk", flat=True))
    enqueue(ids)
    return len(ids)


def failed_to(units: QuerySet[Unit]) -> QuerySet[Delivery]:
    """The failed deliveries to people of `units`, newest first, for the office to see."""
    return (
        Delivery.objects.filter(
            status=DeliveryStatus.FAILED, notification__recipient__unit__in=units
        )
        .select_related("notification__recipient__unit")
        .order_by("-created_at", "-pk")
    )


def resend(deliveries: Iterable[Delivery]) -> int:
    """Try failed deliveries again (the office's "Gửi lại"), from the first attempt."""
    ids = [d.pk for d in deliveries if d.status == DeliveryStatus.FAILED]
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, error=""
    )
    transaction.on_commit(lambda: enqueue(ids), robust=True)
    return len(ids)
