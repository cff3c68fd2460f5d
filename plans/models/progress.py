"""Progress reports (báo cáo kết quả / sơ kết / tổng kết) and their maintained summaries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from plans.models.common import ItemKind
from plans.models.periods import Period
from plans.models.plans import CommunePlan, PlanItem


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại")


class TaskState(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    LATE = "late", _("Chậm tiến độ")


class ProgressReport(models.Model):
    """Báo cáo kết quả thực hiện: a commune's report on its plan for one period."""

    plan = models.ForeignKey(
        CommunePlan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    results = models.TextField(_("kết quả đạt được"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True)
    causes = models.TextField(_("nguyên nhân"), blank=True)
    next_tasks = models.TextField(_("nhiệm vụ, giải pháp kỳ tới"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    late_reason = models.TextField(
        _("lý do cho phép nhập sau khi khóa kỳ"),
        blank=True,
        help_text=_("Ghi nhận ngoại lệ khi kỳ báo cáo đã khóa."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = _("báo cáo kết quả")
        verbose_name_plural = _("báo cáo kết quả")
        ordering = ["plan_id", "period__start", "-period__end"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period"],
                name="plans_progressreport_one_per_plan_and_period",
                violation_error_message=_("Kế hoạch đã có báo cáo cho kỳ này."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="plans_progressreport_status_valid",
                violation_error_message=_("Trạng thái báo cáo không hợp lệ."),
            ),
            # A submitted report says when it was submitted (timeliness is computed from it).
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="plans_progressreport_submitted_has_time",
                violation_error_message=_("Báo cáo đã gửi phải có thời điểm gửi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.unit} – {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("plans:report-edit", args=[self.plan_id, self.period_id])


class TargetResult(models.Model):
    """The value a report gives for one target, with a note and optional evidence."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="target_results",
    )
    item = models.ForeignKey(
        PlanItem, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="results"
    )
    value = models.DecimalField(
        _("giá trị đạt được"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    evidence = models.TextField(_("minh chứng"), blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("kết quả chỉ tiêu")
        verbose_name_plural = _("kết quả chỉ tiêu")
        ordering = ["report_id", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "item"],
                name="plans_targetresult_one_per_target",
                violation_error_message=_("Chỉ tiêu đã có kết quả trong báo cáo này."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="plans_targetresult_value_not_negative",
                violation_error_message=_("Giá trị không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"


class TaskProgress(models.Model):
    """The state a report gives for one key task or breakthrough task."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="task_progress",
    )
    item = models.ForeignKey(
        PlanItem, verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="progress"
    )
    state = models.CharField(
        _("tình hình"), max_length=12, choices=TaskState.choices, default=TaskState.NOT_STARTED
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("tiến độ nhiệm vụ")
        verbose_name_plural = _("tiến độ nhiệm vụ")
        ordering = ["report_id", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "item"],
                name="plans_taskprogress_one_per_task",
                violation_error_message=_("Nhiệm vụ đã có tình hình trong báo cáo này."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=TaskState.values),
                name="plans_taskprogress_state_valid",
                violation_error_message=_("Tình hình thực hiện không hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.state}"


TASK_KINDS = (ItemKind.KEY_TASK, ItemKind.BREAKTHROUGH)


class ReportSummary(models.Model):
    """Tổng hợp: per commune plan and period, targets by status and tasks by state.

    Written by the report services in the same transaction as the report itself, so pages
    that compare communes read one row per commune instead of aggregating raw results.
    """

    plan = models.ForeignKey(
        CommunePlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="summaries"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="report_summaries"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ"), on_delete=models.CASCADE, related_name="summaries"
    )
    # The plan's own report of the period, or the one an earlier version of the plan made
    # before it was revised (then the row of that version speaks of the same report).
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("báo cáo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="summaries",
    )
    targets_achieved = models.PositiveSmallIntegerField(_("chỉ tiêu đạt"), default=0)
    targets_on_track = models.PositiveSmallIntegerField(_("chỉ tiêu đúng tiến độ"), default=0)
    targets_at_risk = models.PositiveSmallIntegerField(_("chỉ tiêu có nguy cơ"), default=0)
    targets_behind = models.PositiveSmallIntegerField(_("chỉ tiêu chậm"), default=0)
    targets_no_data = models.PositiveSmallIntegerField(_("chỉ tiêu chưa có số liệu"), default=0)
    tasks_not_started = models.PositiveSmallIntegerField(_("nhiệm vụ chưa triển khai"), default=0)
    tasks_in_progress = models.PositiveSmallIntegerField(_("nhiệm vụ đang thực hiện"), default=0)
    tasks_done = models.PositiveSmallIntegerField(_("nhiệm vụ hoàn thành"), default=0)
    tasks_late = models.PositiveSmallIntegerField(_("nhiệm vụ chậm tiến độ"), default=0)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tổng hợp báo cáo")
        verbose_name_plural = _("tổng hợp báo cáo")
        ordering = ["period_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period"],
                name="plans_reportsummary_one_per_plan_and_period",
                violation_error_message=_("Đã có bản tổng hợp cho kế hoạch và kỳ này."),
            ),
        ]
        indexes = [
            # the district's commune list reads every summary of one period
            models.Index(fields=["period", "unit"], name="plans_summary_period_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    @property
    def good_share(self) -> float | None:
        """Share of the targets achieved or on track (None without targets)."""
        total = (
            self.targets_achieved
            + self.targets_on_track
            + self.targets_at_risk
            + self.targets_behind
            + self.targets_no_data
        )
        return (self.targets_achieved + self.targets_on_track) / total if total else None
