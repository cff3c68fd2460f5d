from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Users and roles, administrative units, clusters and fields; the site itself."""

    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        # Registers the diacritic-folding SQL function on every new SQLite connection.
        from portal import pagecache, search  # noqa: F401

        # Cached parts of the leaders' pages expire when the data under them changes.
        pagecache.connect()
