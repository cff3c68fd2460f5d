"""The roof's own rows: what the leaders' page cache needs to agree across workers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A counter that moves on every committed change to what the leaders' pages show.

    One row per province (`scope` is its unit id) and one, scope 0, for what every page may
    show. Their rendered parts are cached under the two values (`portal.pagecache`), read
    with one query per page and shared by every worker process.
    """

    scope = models.PositiveBigIntegerField(_("phạm vi"), unique=True)
    value = models.BigIntegerField(_("phiên bản dữ liệu"), default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"
