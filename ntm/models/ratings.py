"""Year-end ratings (xếp loại) of organisations on the four official levels.

Since Quy định 366-QĐ/TW (30/8/2025) a 0–100 score may back the level (≥ 90 / 70–< 90 /
50–< 70 / < 50) and reviews may be quarterly. When a score is given the level is derived
from it, never typed separately.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from plans.models.common import YEAR_VALIDATORS


class RatingLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    FAILED = "failed", _("Không hoàn thành nhiệm vụ")


# Lower bound of each level's score band, best first.
SCORE_BANDS = (
    (Decimal(90), RatingLevel.EXCELLENT),
    (Decimal(70), RatingLevel.GOOD),
    (Decimal(50), RatingLevel.DONE),
    (Decimal(0), RatingLevel.FAILED),
)


def level_for_score(score: Decimal) -> str:
    for floor, level in SCORE_BANDS:
        if score >= floor:
            return level
    raise ValueError(score)


class Rating(models.Model):
    """Xếp loại: an organisation of a unit (its Party committee, a Party cell, a mass
    organisation, or the unit itself when `organisation` is blank) for a year or a quarter."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="ratings"
    )
    organisation = models.CharField(
        _("tổ chức"), max_length=200, blank=True, help_text=_("Để trống: chính đơn vị.")
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        _("quý"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Để trống: xếp loại cả năm."),
    )
    level = models.CharField(_("mức xếp loại"), max_length=10, choices=RatingLevel.choices)
    score = models.DecimalField(
        _("điểm"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại")
        verbose_name_plural = _("xếp loại")
        ordering = ["-year", "unit__code", "organisation"]
        constraints = [
            # One rating per organisation and year, and per quarter when quarterly.
            models.UniqueConstraint(
                fields=["unit", "organisation", "year"],
                condition=Q(quarter__isnull=True),
                name="ntm_rating_unique_year",
                violation_error_message=_("Tổ chức đã được xếp loại trong năm này."),
            ),
            models.UniqueConstraint(
                fields=["unit", "organisation", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="ntm_rating_unique_quarter",
                violation_error_message=_("Tổ chức đã được xếp loại trong quý này."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=RatingLevel.values),
                name="ntm_rating_level_valid",
                violation_error_message=_("Mức xếp loại không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="ntm_rating_score_range",
                violation_error_message=_("Điểm phải từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="ntm_rating_quarter_range",
                violation_error_message=_("Quý phải từ 1 đến 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.unit} {self.year}: {self.get_level_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.score is not None:
            self.level = level_for_score(Decimal(self.score))
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        # The level follows from the score before the fields are checked.
        if isinstance(self.score, Decimal | int | float) and 0 <= self.score <= 100:
            self.level = level_for_score(Decimal(self.score))
        super().clean_fields(exclude)
