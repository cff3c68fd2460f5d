from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site itself: home, search, dashboards and everything that combines the domains."""

    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        # Cached parts of the leaders' pages expire when the data under them changes.
        from portal import pagecache

        pagecache.connect()
