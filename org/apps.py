from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """The ground: administrative units, clusters, fields, users, roles and their scope."""

    name = "org"
    verbose_name = _("Đơn vị và người dùng")

    def ready(self) -> None:
        # Registers the diacritic-folding SQL function on every new SQLite connection.
        from org import search  # noqa: F401
