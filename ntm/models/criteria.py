"""New-rural (nông thôn mới, NTM) criteria as versioned data, goals, assignments, assessments.

A criteria set (bộ tiêu chí) is data, never code: Quyết định 318/QĐ-TTg's 2021–2025 sets and
Quyết định 51/2025/QĐ-TTg's 2026–2030 set live side by side, each with its groups, criteria
and indicators (thresholds may differ by region or commune group). A commune assesses itself
against one set for a year and the district appraises it; both columns are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from plans.models.common import YEAR_VALIDATORS
from plans.models.plans import PlanItem


class NtmLevel(models.TextChoices):
    BASIC = "basic", _("Nông thôn mới")
    ADVANCED = "advanced", _("Nông thôn mới nâng cao")
    MODEL = "model", _("Nông thôn mới kiểu mẫu")


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    OFFICIAL = "official", _("Chính thức")


class SetScope(models.TextChoices):
    NATIONAL = "national", _("Trung ương")
    PROVINCIAL = "provincial", _("Cấp tỉnh")


class Comparison(models.TextChoices):
    MET = "met", _("Đạt / không đạt")
    AT_LEAST = "gte", _("Tối thiểu (≥)")
    AT_MOST = "lte", _("Tối đa (≤)")


class CriteriaSet(models.Model):
    """Bộ tiêu chí: one version of the standard for one level, with its legal basis."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    level = models.CharField(_("mức"), max_length=10, choices=NtmLevel.choices)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    scope = models.CharField(
        _("phạm vi"), max_length=10, choices=SetScope.choices, default=SetScope.NATIONAL
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=SetStatus.choices, default=SetStatus.OFFICIAL
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bộ tiêu chí nông thôn mới")
        verbose_name_plural = _("bộ tiêu chí nông thôn mới")
        ordering = ["-valid_from", "level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="ntm_criteriaset_valid_range",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày áp dụng."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=NtmLevel.values)
                & Q(status__in=SetStatus.values)
                & Q(scope__in=SetScope.values),
                name="ntm_criteriaset_choices_valid",
                violation_error_message=_("Mức, phạm vi hoặc tình trạng không hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_use(self) -> bool:
        """Assessed against: its criteria and thresholds are then the record of those
        judgements and are not edited (a new version of the standard is a new set)."""
        return self.pk is not None and Assessment.objects.filter(criteria_set=self).exists()


def refuse_if_in_use(criteria_set: CriteriaSet | None) -> None:
    """The model validation of a set's groups, criteria and indicators."""
    if criteria_set is not None and criteria_set.in_use():
        raise ValidationError(
            _(
                "Bộ tiêu chí “%(name)s” đã được dùng để đánh giá nên không sửa được tiêu chí, "
                "chỉ tiêu; hãy tạo phiên bản mới của bộ tiêu chí."
            )
            % {"name": criteria_set.name}
        )


class CriterionGroup(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.CharField(_("số"), max_length=10, help_text=_("Ví dụ: I, II."))
    name = models.CharField(_("tên nhóm"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["criteria_set_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"],
                name="ntm_criteriongroup_number_unique",
                violation_error_message=_("Bộ tiêu chí đã có nhóm số này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        refuse_if_in_use(self.criteria_set if self.criteria_set_id else None)


class Criterion(models.Model):
    """Tiêu chí (e.g. 10 Thu nhập); met when all its indicators for the commune are met."""

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bộ tiêu chí"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    group = models.ForeignKey(
        CriterionGroup,
        verbose_name=_("nhóm"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    number = models.PositiveSmallIntegerField(_("số"))
    name = models.CharField(_("tên tiêu chí"), max_length=200)
    plan_items = models.ManyToManyField(
        PlanItem,
        verbose_name=_("chỉ tiêu kế hoạch phục vụ tiêu chí"),
        related_name="ntm_criteria",
        blank=True,
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"],
                name="ntm_criterion_number_unique",
                violation_error_message=_("Bộ tiêu chí đã có tiêu chí số này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        refuse_if_in_use(self.criteria_set if self.criteria_set_id else None)


class Indicator(models.Model):
    """Chỉ tiêu of a criterion; `region` blank applies everywhere, otherwise to one region
    or commune group (the thresholds differ)."""

    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("tiêu chí"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("mã"), max_length=20, help_text=_("Ví dụ: 10.1."))
    name = models.CharField(_("nội dung chỉ tiêu"), max_length=500)
    measure_unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    comparison = models.CharField(
        _("cách so sánh"), max_length=4, choices=Comparison.choices, default=Comparison.MET
    )
    threshold = models.DecimalField(
        _("ngưỡng đạt"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    region = models.CharField(
        _("vùng / nhóm xã"), max_length=60, blank=True, help_text=_("Để trống: áp dụng chung.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu của tiêu chí")
        verbose_name_plural = _("chỉ tiêu của tiêu chí")
        ordering = ["criterion_id", "order", "code", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "code", "region"],
                name="ntm_indicator_code_unique",
                violation_error_message=_("Tiêu chí đã có chỉ tiêu mã này cho vùng này."),
            ),
            models.CheckConstraint(
                condition=Q(comparison=Comparison.MET, threshold__isnull=True)
                | (~Q(comparison=Comparison.MET) & Q(threshold__isnull=False)),
                name="ntm_indicator_threshold_matches_comparison",
                violation_error_message=_(
                    "Chỉ tiêu so sánh số phải có ngưỡng; chỉ tiêu đạt / không đạt thì không."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        refuse_if_in_use(self.criterion.criteria_set if self.criterion_id else None)

    def is_met(self, met: bool | None, value) -> bool | None:
        """Whether a reported result meets this indicator; None when nothing was reported."""
        if self.comparison == Comparison.MET or value is None:
            return met
        if self.comparison == Comparison.AT_LEAST:
            return value >= self.threshold
        return value <= self.threshold


class NtmGoal(models.Model):
    """The supervising unit's goal for a year, e.g. +8 NTM nâng cao communes in 2022."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="ntm_goals"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    level = models.CharField(_("mức"), max_length=10, choices=NtmLevel.choices)
    count = models.PositiveSmallIntegerField(_("số xã phấn đấu đạt thêm"))
    source = models.CharField(_("văn bản"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục tiêu nông thôn mới")
        verbose_name_plural = _("mục tiêu nông thôn mới")
        ordering = ["-year", "unit__code", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "level"],
                name="ntm_ntmgoal_unique",
                violation_error_message=_("Đơn vị đã có mục tiêu cho mức này trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: +{self.count} {self.get_level_display()}"


class NtmAssignment(models.Model):
    """Giao nhiệm vụ: commune X is to reach level L in year Y against a criteria set."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="ntm_assignments"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    level = models.CharField(_("mức"), max_length=10, choices=NtmLevel.choices)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("văn bản, cuộc họp giao"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giao nhiệm vụ nông thôn mới")
        verbose_name_plural = _("giao nhiệm vụ nông thôn mới")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "level"],
                name="ntm_ntmassignment_unique",
                violation_error_message=_("Xã đã được giao mức này trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_level_display()} {self.year}"


class Assessment(models.Model):
    """A commune's results against a criteria set for a year: its self-assessment and the
    district's appraisal, kept side by side."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="ntm_assessments"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    region = models.CharField(_("vùng / nhóm xã"), max_length=60, blank=True)
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("xã tự đánh giá"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    self_at = models.DateTimeField(_("tự đánh giá lúc"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thẩm định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    appraised_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đánh giá tiêu chí nông thôn mới")
        verbose_name_plural = _("đánh giá tiêu chí nông thôn mới")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "criteria_set", "year"],
                name="ntm_assessment_unique",
                violation_error_message=_("Xã đã có bản đánh giá theo bộ tiêu chí này trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.criteria_set} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("ntm:unit", args=[self.unit_id]) + f"?year={self.year}"


class IndicatorResult(models.Model):
    """One indicator's result: the commune's column and the district's, each with a note."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="results"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+"
    )
    self_met = models.BooleanField(_("xã tự đánh giá đạt"), null=True, blank=True)
    self_value = models.DecimalField(
        _("giá trị xã báo cáo"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    self_note = models.TextField(_("minh chứng của xã"), blank=True)
    appraised_met = models.BooleanField(_("thẩm định đạt"), null=True, blank=True)
    appraised_value = models.DecimalField(
        _("giá trị thẩm định"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    appraised_note = models.TextField(_("ý kiến thẩm định"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả chỉ tiêu")
        verbose_name_plural = _("kết quả chỉ tiêu")
        ordering = ["assessment_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="ntm_indicatorresult_unique",
                violation_error_message=_("Chỉ tiêu đã có kết quả trong bản đánh giá."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.indicator.code}"


class CriterionTarget(models.Model):
    """Lộ trình: the year a commune plans to meet a criterion."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("xã"), on_delete=models.CASCADE, related_name="ntm_roadmap"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm dự kiến đạt"), validators=YEAR_VALIDATORS)

    class Meta:
        verbose_name = _("lộ trình đạt tiêu chí")
        verbose_name_plural = _("lộ trình đạt tiêu chí")
        ordering = ["unit_id", "year", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "criterion"],
                name="ntm_criteriontarget_unique",
                violation_error_message=_("Tiêu chí đã có năm dự kiến đạt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.criterion}: {self.year}"


class Recognition(models.Model):
    """Quyết định công nhận: the commune reached the level in the year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="ntm_recognitions"
    )
    level = models.CharField(_("mức"), max_length=10, choices=NtmLevel.choices)
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    decision = models.CharField(_("số quyết định"), max_length=200)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("công nhận đạt chuẩn")
        verbose_name_plural = _("công nhận đạt chuẩn")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "level", "year"],
                name="ntm_recognition_unique",
                violation_error_message=_("Xã đã được công nhận mức này trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_level_display()} ({self.year})"
