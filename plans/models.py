"""The plan chain: the supervising unit's programmes and the communes' concretizing plans.

A district (a province since 7/2025) issues two programmes a year — the Party committee's
action programme and the People's Committee's socio-economic plan — each listing key tasks,
targets, breakthrough tasks and solutions by field. Every commune writes a plan that
concretizes them; each plan item may link to the programme item(s) it derives from.
Counts such as "5 key tasks, 13 targets" are computed from the items, never stored.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Field, Unit

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
_YEAR_RANGE = Q(year__gte=2000, year__lte=2100)
_YEAR_MESSAGE = _("Năm phải trong khoảng 2000–2100.")


class ItemKind(models.TextChoices):
    """The four kinds of item both programmes and plans are made of."""

    KEY_TASK = "key_task", _("Nhiệm vụ trọng tâm")
    TARGET = "target", _("Chỉ tiêu chủ yếu")
    BREAKTHROUGH = "breakthrough", _("Nhiệm vụ đột phá")
    SOLUTION = "solution", _("Giải pháp")


class Direction(models.TextChoices):
    """Which way a target counts as achieved."""

    INCREASE = "increase", _("Tăng (càng cao càng tốt)")
    DECREASE = "decrease", _("Giảm (càng thấp càng tốt)")
    REACH = "reach", _("Đạt mức")
    MAINTAIN = "maintain", _("Duy trì")
    ZERO = "zero", _("Không để xảy ra")


class Accumulation(models.TextChoices):
    """How reported values of a target combine over the year."""

    CUMULATIVE = "cumulative", _("Cộng dồn trong năm")
    POINT = "point", _("Tại thời điểm")


def _item_counts() -> dict[str, Count]:
    return {
        f"{kind}_count": Count("items", filter=Q(items__kind=kind), distinct=True)
        for kind in ItemKind.values
    }


def _target_rules(prefix: str, app_model: str) -> list[models.BaseConstraint]:
    """Constraints shared by programme items and plan items about target-only columns."""
    target = Q(kind=ItemKind.TARGET)
    return [
        models.CheckConstraint(
            condition=Q(kind__in=ItemKind.values),
            name=f"{app_model}_kind_valid",
            violation_error_message=_("Loại nội dung không hợp lệ."),
        ),
        models.CheckConstraint(
            condition=Q(direction__in=["", *Direction.values]),
            name=f"{app_model}_direction_valid",
            violation_error_message=_("Chiều đánh giá chỉ tiêu không hợp lệ."),
        ),
        # A key task, breakthrough or solution has no number to reach.
        models.CheckConstraint(
            condition=target | Q(measure_unit="", direction="", **{f"{prefix}value__isnull": True}),
            name=f"{app_model}_numbers_only_on_targets",
            violation_error_message=_("Chỉ chỉ tiêu mới có đơn vị tính, chiều và giá trị."),
        ),
        # A target is meaningless without its unit, direction and value.
        models.CheckConstraint(
            condition=~target
            | (~Q(measure_unit="") & ~Q(direction="") & Q(**{f"{prefix}value__isnull": False})),
            name=f"{app_model}_target_complete",
            violation_error_message=_("Chỉ tiêu phải có đơn vị tính, chiều đánh giá và giá trị."),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{prefix}value__isnull": True}) | Q(**{f"{prefix}value__gte": 0}),
            name=f"{app_model}_value_not_negative",
            violation_error_message=_("Giá trị chỉ tiêu không được âm."),
        ),
        # "Không để xảy ra" means the value to reach is zero.
        models.CheckConstraint(
            condition=~Q(direction=Direction.ZERO) | Q(**{f"{prefix}value": 0}),
            name=f"{app_model}_zero_direction_has_zero_value",
            violation_error_message=_('Chỉ tiêu "không để xảy ra" phải có giá trị 0.'),
        ),
    ]


# --- Programmes --------------------------------------------------------------------------


class ProgrammeKind(models.TextChoices):
    PARTY = "party", _("Chương trình hành động của cấp ủy")
    GOVERNMENT = "government", _("Kế hoạch phát triển kinh tế – xã hội")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Programmes a user may read: those of units in scope or above their own unit."""
        from portal.rules import visible_units

        if not user.is_authenticated:
            return self.none()
        own = Q(unit__in=visible_units(user))
        if user.unit_id is None:
            return self.filter(own)
        # A commune must read the programmes it concretizes, issued by the unit above it.
        parent = Unit.objects.filter(children=user.unit_id).values("pk")
        return self.filter(own | Q(unit__in=parent))

    def for_year(self, year: int) -> ProgrammeQuerySet:
        return self.filter(year=year)

    def with_item_counts(self) -> ProgrammeQuerySet:
        return self.annotate(**_item_counts())


class Programme(models.Model):
    """Chương trình hành động / Kế hoạch phát triển KT-XH of the supervising unit for a year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="programmes"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=ProgrammeKind.choices)
    number = models.CharField(_("số hiệu"), max_length=40, help_text=_("Ví dụ: 01-CTr/HU."))
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    motto = models.CharField(_("phương châm"), max_length=300, blank=True)
    term_note = models.CharField(
        _("năm của nhiệm kỳ"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: năm thứ hai thực hiện Nghị quyết Đại hội nhiệm kỳ 2020 – 2025."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        verbose_name = _("chương trình / kế hoạch cấp trên")
        verbose_name_plural = _("chương trình / kế hoạch cấp trên")
        ordering = ["-year", "unit__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind"],
                name="plans_programme_one_per_kind_and_year",
                violation_error_message=_("Đơn vị đã có văn bản loại này cho năm này."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProgrammeKind.values),
                name="plans_programme_kind_valid",
                violation_error_message=_("Loại văn bản không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=_YEAR_RANGE,
                name="plans_programme_year_range",
                violation_error_message=_YEAR_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("plans:programme-detail", args=[self.pk])


class ProgrammeItem(models.Model):
    """A key task, target, breakthrough task or solution of a programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("loại nội dung"), max_length=16, choices=ItemKind.choices)
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(
        _("ký hiệu"),
        max_length=20,
        blank=True,
        help_text=_("Ký hiệu ổn định trong văn bản, ví dụ KT1, CT3."),
    )
    text = models.TextField(_("nội dung"))
    measure_unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    direction = models.CharField(
        _("chiều đánh giá"), max_length=10, choices=Direction.choices, blank=True
    )
    value = models.DecimalField(
        _("giá trị chỉ tiêu"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    allocation_note = models.TextField(
        _("ghi chú phân bổ"),
        blank=True,
        help_text=_("Giải thích khi tổng phân bổ cho các xã khác chỉ tiêu của huyện."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = _("nội dung chương trình")
        verbose_name_plural = _("nội dung chương trình")
        ordering = ["programme_id", "kind", "order", "pk"]
        constraints = [
            *_target_rules("", "plans_programmeitem"),
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=~Q(code=""),
                name="plans_programmeitem_code_unique",
                violation_error_message=_("Ký hiệu này đã dùng trong văn bản."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


# --- Commune plans -------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại")


EDITABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class CommunePlanQuerySet(models.QuerySet["CommunePlan"]):
    def visible_to(self, user) -> CommunePlanQuerySet:
        from portal.rules import visible_units

        return self.filter(unit__in=visible_units(user))

    def for_year(self, year: int) -> CommunePlanQuerySet:
        return self.filter(year=year)

    def with_item_counts(self) -> CommunePlanQuerySet:
        return self.annotate(**_item_counts())


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
                condition=_YEAR_RANGE,
                name="plans_communeplan_year_range",
                violation_error_message=_YEAR_MESSAGE,
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
            *_target_rules("target_", "plans_planitem"),
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
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0),
                name="plans_planitem_baseline_not_negative",
                violation_error_message=_("Giá trị đầu kỳ không được âm."),
            ),
        ]
        indexes = [
            # the plan page and the home counts read a plan's items by kind
            models.Index(fields=["plan", "kind", "order"], name="plans_planitem_plan_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


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


# --- Periods -------------------------------------------------------------------------------


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
    report_deadline = models.DateField(_("hạn báo cáo"), null=True, blank=True)

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
                condition=_YEAR_RANGE,
                name="plans_period_year_range",
                violation_error_message=_YEAR_MESSAGE,
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

    @staticmethod
    def bounds(kind: str, year: int, index: int) -> tuple[datetime.date, datetime.date]:
        """First and last day of a period."""
        months = 12 // PERIODS_PER_YEAR[PeriodKind(kind)]
        first_month = (index - 1) * months + 1
        last_month = first_month + months - 1
        last_day = calendar.monthrange(year, last_month)[1]
        return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)
