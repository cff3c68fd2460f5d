"""Reporting periods (kỳ báo cáo): months, quarters, halves and years."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from plans.models.common import YEAR_MESSAGE, YEAR_RANGE, YEAR_VALIDATORS


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")


# How many periods of each kind a year has.
PERIODS_PER_YEAR = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF: 2,
    PeriodKind.YEAR: 1,
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Period(models.Model):
    """Kỳ báo cáo: a month, quarter, half-year or year, with its report deadline."""

    kind = models.CharField(_("loại kỳ"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    index = models.PositiveSmallIntegerField(
        _("số thứ tự trong năm"), help_text=_("Tháng 1–12, quý 1–4, 6 tháng 1–2, năm 1.")
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    report_deadline = models.DateField(
        _("hạn báo cáo mặc định"),
        null=True,
        blank=True,
        help_text=_("Mỗi đơn vị cấp trên có thể đặt hạn riêng (quy định kỳ báo cáo)."),
    )

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["year", "start", "-end"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "index"],
                name="plans_period_unique",
                violation_error_message=_("Kỳ báo cáo này đã có."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PeriodKind.values),
                name="plans_period_kind_valid",
                violation_error_message=_("Loại kỳ không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=PeriodKind.MONTH) & Q(index__gte=1, index__lte=12))
                | (Q(kind=PeriodKind.QUARTER) & Q(index__gte=1, index__lte=4))
                | (Q(kind=PeriodKind.HALF) & Q(index__gte=1, index__lte=2))
                | (Q(kind=PeriodKind.YEAR) & Q(index=1)),
                name="plans_period_index_fits_kind",
                violation_error_message=_("Số thứ tự kỳ không phù hợp với loại kỳ."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="plans_period_end_after_start",
                violation_error_message=_("Ngày kết thúc kỳ phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="plans_period_year_range",
                violation_error_message=YEAR_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label documents use: "Tháng 3/2022", "Quý I/2022", "6 tháng đầu năm 2022"."""
        if self.kind == PeriodKind.MONTH:
            return f"Tháng {self.index}/{self.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {_ROMAN[self.index]}/{self.year}"
        if self.kind == PeriodKind.HALF:
            half = "đầu" if self.index == 1 else "cuối"
            return f"6 tháng {half} năm {self.year}"
        return f"Năm {self.year}"

    @property
    def elapsed_share(self) -> Decimal:
        """Share of the year elapsed at the end of the period: Quý II → 0.5."""
        months = self.end.month
        return Decimal(months) / Decimal(12)

    @staticmethod
    def default_deadline(end: datetime.date) -> datetime.date:
        """The 20th of the period's last month, the district's usual deadline."""
        return end.replace(day=20)

    @staticmethod
    def bounds(kind: str, year: int, index: int) -> tuple[datetime.date, datetime.date]:
        """First and last day of a period."""
        months = 12 // PERIODS_PER_YEAR[PeriodKind(kind)]
        first_month = (index - 1) * months + 1
        last_month = first_month + months - 1
        last_day = calendar.monthrange(year, last_month)[1]
        return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)


class PeriodRule(models.Model):
    """Quy định kỳ báo cáo: a supervising unit's own deadline and lock for one period.

    Periods are shared by every unit; each district (province since 7/2025) sets the
    deadline its communes must meet and closes the period when its figures are final.
    """

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        related_name="period_rules",
    )
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="rules"
    )
    report_deadline = models.DateField(_("hạn báo cáo"), null=True, blank=True)
    locked = models.BooleanField(
        _("đã khóa"),
        default=False,
        help_text=_("Kỳ đã khóa chỉ nhận số liệu qua ngoại lệ có ghi lý do."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("quy định kỳ báo cáo")
        verbose_name_plural = _("quy định kỳ báo cáo")
        ordering = ["period_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="plans_periodrule_one_per_unit_and_period",
                violation_error_message=_("Đơn vị đã có quy định cho kỳ này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"


@dataclass(frozen=True)
class Schedule:
    """The deadline and lock that apply to the communes of one supervising unit."""

    deadline: datetime.date | None
    locked: bool

    def on_time(self, submitted_at: datetime.datetime | None) -> bool | None:
        if submitted_at is None or self.deadline is None:
            return None
        return timezone.localdate(submitted_at) <= self.deadline


def schedules(periods: list[Period], supervisor_id: int | None) -> dict[int, Schedule]:
    """Each period's schedule for the communes under `supervisor_id` (one query)."""
    rules = {
        rule.period_id: rule
        for rule in PeriodRule.objects.filter(unit_id=supervisor_id, period__in=periods)
    }
    result = {}
    for period in periods:
        rule = rules.get(period.pk)
        deadline = rule.report_deadline if rule and rule.report_deadline else period.report_deadline
        result[period.pk] = Schedule(deadline=deadline, locked=bool(rule and rule.locked))
    return result


def schedule(period: Period, supervisor_id: int | None) -> Schedule:
    return schedules([period], supervisor_id)[period.pk]
