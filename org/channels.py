"""The ways a notification reaches a person beyond the portal: one class per channel.

A channel says where a person is reached (`address`) and sends one message: a single
notification, or a day's digest of several. E-mail ships now; another channel (SMS, Zalo)
is a new class listed in `settings.NOTIFY_CHANNELS`, without touching the events that
notify or the delivery machinery (`org.delivery`). The in-app channel is the notification
row itself, shown by the portal: it needs no class.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import Delivery, User

SITE_NAME = gettext_lazy("Cổng kế hoạch công tác")


class Channel:
    """One way out. Subclasses set `name` (stored on each delivery) and `label`."""

    name: str = ""
    label = ""

    def address(self, user: User) -> str:
        """Where `user` is reached on this channel; empty when they cannot be."""
        raise NotImplementedError

    def open(self) -> None:
        """Before a batch of sends (a connection to reuse)."""

    def close(self) -> None:
        """After the batch, whatever happened."""

    def send(self, user: User, deliveries: Sequence[Delivery], *, digest: bool) -> None:
        """Send one message to `user` about `deliveries` (one, or a digest's many); raise
        on failure. `deliveries[0].pk` identifies the message: a second try of the same
        message carries the same identifier."""
        raise NotImplementedError


class EmailChannel(Channel):
    """E-mail: a Vietnamese text part, an HTML part and a link into the portal."""

    name = "email"
    label = gettext_lazy("Thư điện tử")

    def __init__(self) -> None:
        self.connection = None

    def address(self, user: User) -> str:
        return user.email.strip()

    def open(self) -> None:
        self.connection = get_connection(fail_silently=False)
        self.connection.open()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def message(
        self, user: User, deliveries: Sequence[Delivery], *, digest: bool
    ) -> EmailMultiAlternatives:
        with translation.override(settings.LANGUAGE_CODE):
            items = [
                {
                    "notification": delivery.notification,
                    "link": settings.PORTAL_URL
                    + reverse("portal:notification-open", args=[delivery.notification_id]),
                }
                for delivery in deliveries
            ]
            context = {
                "user": user,
                "items": items,
                "digest": digest,
                "site": SITE_NAME,
                "home": settings.PORTAL_URL + "/",
                "settings_link": settings.PORTAL_URL + reverse("portal:notification-settings"),
            }
            if digest:
                subject = _("[%(site)s] %(count)d thông báo trong ngày") % {
                    "site": SITE_NAME,
                    "count": len(items),
                }
            else:
                notification = deliveries[0].notification
                subject = f"[{SITE_NAME}] {notification.get_kind_display()}: {notification.subject}"
            text = render_to_string("email/notification.txt", context)
            html = render_to_string("email/notification.html", context)
        first = deliveries[0]
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split())[:250],
            body=text,
            to=[self.address(user)],
            connection=self.connection,
            headers={
                # the idempotency key, so a receiving server can tell a repeated message
                "Message-ID": f"<portal-{first.pk}-{first.channel}@{_domain()}>",
                "X-Portal-Notification": first.notification.key,
            },
        )
        message.attach_alternative(html, "text/html")
        return message

    def send(self, user: User, deliveries: Sequence[Delivery], *, digest: bool) -> None:
        self.message(user, deliveries, digest=digest).send()


def _domain() -> str:
    return settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


@cache
def channel_classes() -> dict[str, type[Channel]]:
    """The channels beyond the portal, by name, as `settings.NOTIFY_CHANNELS` lists them."""
    classes = [import_string(path) for path in settings.NOTIFY_CHANNELS]
    return {cls.name: cls for cls in classes}


def channel(name: str) -> Channel:
    return channel_classes()[name]()
