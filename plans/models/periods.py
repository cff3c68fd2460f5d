"""Reporting periods (kỳ báo cáo): months, quarters, halves and years."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from plans.models.common import YEAR_MESSAGE, YEAR_RANGE, YEAR_VALIDATORS
from plans.reporting_calendar import DEFAULT_WORKING_DAYS, MAX_WORKING_DAYS, cutoff_window


def shift_year(day: datetime.date, year: int) -> datetime.date:
    """The same day and month in `year`; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


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
    start = models.DateField(_("số liệu từ ngày"))
    end = models.DateField(_("số liệu đến ngày"), help_text=_("Ngày chốt số liệu của kỳ."))
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
    def bounds(kind: str, year: int, index: int) -> tuple[datetime.date, datetime.date]:
        """First and last day of the figures the period reports: its cut-off window under
        Nghị định 09/2019 (Tháng 1/2027 runs from 15/12/2026 to 14/01/2027)."""
        return cutoff_window(kind, year, index)


class PeriodRule(models.Model):
    """Quy định kỳ báo cáo: a supervising unit's own deadline and lock for one period.

    Periods are shared by every unit; each district (province since 7/2025) sets the
    deadline its communes must meet and closes the period when its figures are final.
    A rule whose unit is a commune is an extension (gia hạn) of that commune's deadline,
    granted by the office above it with a recorded reason; the lock stays the office's.
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
    reason = models.TextField(_("lý do"), blank=True, help_text=_("Lý do gia hạn cho một xã."))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đặt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

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


def schedules(
    periods: list[Period], supervisor_id: int | None, unit_id: int | None = None
) -> dict[int, Schedule]:
    """Each period's schedule for the communes under `supervisor_id`, or for the one commune
    `unit_id` when given, whose extension (gia hạn) moves its deadline (one query)."""
    return communes_schedules(periods, [(supervisor_id, unit_id)])[unit_id]


def communes_schedules(
    periods: list[Period], communes: list[tuple[int | None, int | None]]
) -> dict[int | None, dict[int, Schedule]]:
    """`schedules` for many (supervisor id, commune id) pairs at once: commune id → period
    id → its schedule (one query)."""
    units = {pk for pair in communes for pk in pair if pk is not None}
    rules: dict[tuple[int, int], PeriodRule] = {
        (rule.unit_id, rule.period_id): rule
        for rule in PeriodRule.objects.filter(unit_id__in=units, period__in=periods)
    }
    result: dict[int | None, dict[int, Schedule]] = {}
    for supervisor_id, unit_id in communes:
        own_schedules = result.setdefault(unit_id, {})
        for period in periods:
            own = rules.get((unit_id, period.pk)) if unit_id is not None else None
            rule = rules.get((supervisor_id, period.pk))
            deadline = (
                own.report_deadline
                if own and own.report_deadline
                else rule.report_deadline
                if rule and rule.report_deadline
                else period.report_deadline
            )
            own_schedules[period.pk] = Schedule(
                deadline=deadline, locked=bool(rule and rule.locked)
            )
    return result


def schedule(period: Period, supervisor_id: int | None, unit_id: int | None = None) -> Schedule:
    return schedules([period], supervisor_id, unit_id)[period.pk]


class Holiday(models.Model):
    """Ngày nghỉ lễ, Tết: a day off that is not a working day for report deadlines.

    Loaded from the shipped `data/holidays.csv` when a year is opened; an administrator
    corrects it here when the Prime Minister fixes the year's Tết and compensatory days.
    """

    day = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ lễ, Tết")
        verbose_name_plural = _("ngày nghỉ lễ, Tết")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.name}"


class ReportingCalendar(models.Model):
    """Chế độ báo cáo: how many working days after the cut-off a supervising unit gives its
    communes to report (Nghị định 09/2019 leaves it to each unit; the default is 2)."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        related_name="reporting_calendar",
    )
    working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc sau ngày chốt số liệu"),
        default=DEFAULT_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WORKING_DAYS)],
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")
        ordering = ["unit__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1, working_days__lte=MAX_WORKING_DAYS),
                name="plans_reportingcalendar_working_days_range",
                violation_error_message=_("Số ngày làm việc phải từ 1 đến 30."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.working_days}"
