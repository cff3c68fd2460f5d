from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site itself: home, search, dashboards and everything that combines the domains."""

    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        # Cached parts of the leaders' pages expire when the data under them changes.
        from portal import pagecache, sessions

        pagecache.connect()
        # A session starts its sliding expiry at sign-in.
        user_logged_in.connect(sessions.seen_at_login, dispatch_uid="portal.sessions.seen")
