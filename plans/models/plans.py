"""Commune plans (kế hoạch cụ thể hóa), their items, workflow log and target allocations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Field, Unit
from plans.models.common import (
    YEAR_MESSAGE,
    YEAR_RANGE,
    YEAR_VALIDATORS,
    Accumulation,
    Direction,
    ItemKind,
    item_counts,
    target_rules,
)
from plans.models.programmes import Programme, ProgrammeItem


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại")
    # An approved plan whose revision has been approved: kept as the record of what was
    # approved first, but no longer reported on, rolled up or counted.
    SUPERSEDED = "superseded", _("Đã được điều chỉnh")


EDITABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class CommunePlanQuerySet(models.QuerySet["CommunePlan"]):
    def visible_to(self, user) -> CommunePlanQuerySet:
        from org.rules import visible_units

        return self.filter(unit__in=visible_units(user))

    def for_year(self, year: int) -> CommunePlanQuerySet:
        return self.filter(year=year)

    def with_item_counts(self) -> CommunePlanQuerySet:
        return self.annotate(**item_counts())


class CommunePlan(models.Model):
    """Kế hoạch cụ thể hóa: a commune's plan concretizing the programmes of the year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    number = models.CharField(_("số hiệu"), max_length=40, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("cụ thể hóa văn bản"), related_name="plans", blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(
        _("phiên bản"),
        default=1,
        editable=False,
        help_text=_("Tăng sau mỗi lần lưu; dùng để phát hiện hai người sửa cùng lúc."),
    )
    revision = models.PositiveSmallIntegerField(
        _("lần điều chỉnh"), default=0, help_text=_("0 là kế hoạch ban đầu.")
    )
    revises = models.OneToOneField(
        "self",
        verbose_name=_("điều chỉnh kế hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revised_by",
    )
    revision_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    revision_decision = models.CharField(
        _("văn bản cho phép điều chỉnh"),
        max_length=200,
        blank=True,
        help_text=_("Số, ngày văn bản của cấp có thẩm quyền, ví dụ: Công văn 123-CV/HU ngày 15/6."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = CommunePlanQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        verbose_name = _("kế hoạch cụ thể hóa")
        verbose_name_plural = _("kế hoạch cụ thể hóa")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "revision"],
                name="plans_communeplan_one_per_unit_year_revision",
                violation_error_message=_("Đơn vị đã có kế hoạch cho năm này."),
            ),
            # A revision names the plan it revises, why, and the decision allowing it.
            models.CheckConstraint(
                condition=Q(revision=0, revises__isnull=True)
                | (
                    Q(revision__gt=0, revises__isnull=False)
                    & ~Q(revision_reason="")
                    & ~Q(revision_decision="")
                ),
                name="plans_communeplan_revision_documented",
                violation_error_message=_(
                    "Kế hoạch điều chỉnh phải có kế hoạch gốc, lý do và văn bản cho phép."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values),
                name="plans_communeplan_status_valid",
                violation_error_message=_("Trạng thái kế hoạch không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="plans_communeplan_year_range",
                violation_error_message=YEAR_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        if self.revision:
            return f"{self.unit} – {self.year} (điều chỉnh lần {self.revision})"
        return f"{self.unit} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """Drafts and returned plans can be edited; submitted and approved ones cannot."""
        return self.status in EDITABLE_STATUSES


class PlanItem(models.Model):
    """A key task, target, breakthrough task or solution of a commune plan.

    Targets carry the numbers: measure unit, direction, baseline (end of last year) and the
    value to reach, and whether reported values add up over the year or are read at a moment.
    """

    plan = models.ForeignKey(
        CommunePlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("loại nội dung"), max_length=16, choices=ItemKind.choices)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    # Stable within the plan while items are reordered, edited or deleted: "CT03" keys the
    # item's row in an Excel template. Revisions and next year's copy keep it.
    code = models.CharField(_("mã"), max_length=12, blank=True, editable=False)
    text = models.TextField(_("nội dung"))
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible = models.CharField(
        _("đơn vị chủ trì"), max_length=200, blank=True, help_text=_("Ví dụ: UBND xã.")
    )
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    source_items = models.ManyToManyField(
        ProgrammeItem,
        verbose_name=_("cụ thể hóa nội dung"),
        related_name="derived_items",
        blank=True,
        help_text=_("Nội dung của chương trình cấp trên mà mục này cụ thể hóa."),
    )
    measure_unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    direction = models.CharField(
        _("chiều đánh giá"), max_length=10, choices=Direction.choices, blank=True
    )
    baseline = models.DecimalField(
        _("giá trị đầu kỳ"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("giá trị chỉ tiêu"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    accumulation = models.CharField(
        _("cách tính"), max_length=12, choices=Accumulation.choices, blank=True
    )
    base = models.DecimalField(
        _("quy mô"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Mẫu số của tỷ lệ (số hộ, số dân, diện tích…): dùng để tính bình quân gia quyền "
            "khi tổng hợp các xã."
        ),
    )
    revises = models.ForeignKey(
        "self",
        verbose_name=_("điều chỉnh nội dung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revised_by",
        help_text=_("Nội dung tương ứng của kế hoạch đã duyệt trước khi điều chỉnh."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = _("nội dung kế hoạch")
        verbose_name_plural = _("nội dung kế hoạch")
        ordering = ["plan_id", "kind", "order", "pk"]
        constraints = [
            *target_rules("target_", "plans_planitem"),
            models.CheckConstraint(
                condition=Q(accumulation__in=["", *Accumulation.values]),
                name="plans_planitem_accumulation_valid",
                violation_error_message=_("Cách tính chỉ tiêu không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.TARGET) | Q(baseline__isnull=True, accumulation=""),
                name="plans_planitem_baseline_only_on_targets",
                violation_error_message=_("Chỉ chỉ tiêu mới có giá trị đầu kỳ và cách tính."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ItemKind.TARGET) | ~Q(accumulation=""),
                name="plans_planitem_target_has_accumulation",
                violation_error_message=_("Chỉ tiêu phải chọn cách tính (cộng dồn / thời điểm)."),
            ),
            models.CheckConstraint(
                condition=Q(base__isnull=True) | (Q(kind=ItemKind.TARGET) & Q(base__gt=0)),
                name="plans_planitem_base_positive_on_targets",
                violation_error_message=_("Quy mô chỉ có ở chỉ tiêu và phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0),
                name="plans_planitem_baseline_not_negative",
                violation_error_message=_("Giá trị đầu kỳ không được âm."),
            ),
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=~Q(code=""),
                name="plans_planitem_code_unique",
                violation_error_message=_("Mã nội dung đã có trong kế hoạch."),
            ),
        ]
        indexes = [
            # the plan page and the home counts read a plan's items by kind
            models.Index(fields=["plan", "kind", "order"], name="plans_planitem_plan_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs) -> None:
        if not self.code and self.plan_id is not None:
            self.code = next_item_code(self.plan_id, self.kind)
        super().save(*args, **kwargs)


# The prefix of an item's code by kind: Nhiệm vụ, Chỉ tiêu, Đột phá, Giải pháp.
CODE_PREFIXES = {
    ItemKind.KEY_TASK: "NV",
    ItemKind.TARGET: "CT",
    ItemKind.BREAKTHROUGH: "DP",
    ItemKind.SOLUTION: "GP",
}


def item_code(kind: str, number: int) -> str:
    return f"{CODE_PREFIXES[kind]}{number:02d}"


def next_item_code(plan_id: int, kind: str) -> str:
    """The next code of the kind in the plan: one past the highest it holds."""
    prefix = CODE_PREFIXES[kind]
    numbers = [
        int(code[len(prefix) :])
        for code in PlanItem.objects.filter(plan_id=plan_id, code__startswith=prefix).values_list(
            "code", flat=True
        )
        if code[len(prefix) :].isdigit()
    ]
    return item_code(kind, max(numbers, default=0) + 1)


class PlanStatusChange(models.Model):
    """Nhật ký trạng thái: one workflow transition of a plan (who, when, from, to, note)."""

    plan = models.ForeignKey(
        CommunePlan,
        verbose_name=_("kế hoạch"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("từ trạng thái"), max_length=12, choices=PlanStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=12, choices=PlanStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thay đổi trạng thái kế hoạch")
        verbose_name_plural = _("thay đổi trạng thái kế hoạch")
        ordering = ["plan_id", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=PlanStatus.values)
                & Q(from_status__in=["", *PlanStatus.values]),
                name="plans_planstatuschange_statuses_valid",
                violation_error_message=_("Trạng thái không hợp lệ."),
            ),
            # Returning a plan without saying why helps nobody.
            models.CheckConstraint(
                condition=~Q(to_status=PlanStatus.RETURNED) | ~Q(note=""),
                name="plans_planstatuschange_return_has_reason",
                violation_error_message=_("Trả lại kế hoạch phải nêu lý do."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status or '∅'} → {self.to_status}"


class TargetAllocation(models.Model):
    """Phân bổ chỉ tiêu: the share of a district target assigned to one commune."""

    item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("chỉ tiêu của huyện"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="allocations"
    )
    value = models.DecimalField(_("giá trị giao"), max_digits=18, decimal_places=4)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = _("phân bổ chỉ tiêu")
        verbose_name_plural = _("phân bổ chỉ tiêu")
        ordering = ["item_id", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "unit"],
                name="plans_targetallocation_one_per_unit",
                violation_error_message=_("Đơn vị này đã được giao chỉ tiêu này."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="plans_targetallocation_value_not_negative",
                violation_error_message=_("Giá trị giao không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.unit}: {self.value}"
