"""Programmes of the supervising unit: Chương trình hành động and Kế hoạch phát triển KT-XH."""

from __future__ import annotations

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
    Combination,
    Direction,
    ItemKind,
    item_counts,
    target_rules,
)


class ProgrammeKind(models.TextChoices):
    PARTY = "party", _("Chương trình hành động của cấp ủy")
    GOVERNMENT = "government", _("Kế hoạch phát triển kinh tế – xã hội")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Programmes a user may read: those of units in scope or above their own unit."""
        from org.rules import visible_units

        if not user.is_authenticated:
            return self.none()
        own = Q(unit__in=visible_units(user))
        if user.unit_id is None:
            return self.filter(own)
        # A commune must read the programmes it concretizes, issued by the unit above it.
        parent = Unit.objects.filter(children=user.unit_id).values("pk")
        # The programmes a user's own unit issued or concretizes, whatever their scope.
        return self.filter(own | Q(unit=user.unit_id) | Q(unit__in=parent))

    def for_year(self, year: int) -> ProgrammeQuerySet:
        return self.filter(year=year)

    def with_item_counts(self) -> ProgrammeQuerySet:
        return self.annotate(**item_counts())


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
                condition=YEAR_RANGE,
                name="plans_programme_year_range",
                violation_error_message=YEAR_MESSAGE,
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
    combination = models.CharField(
        _("tổng hợp từ các xã"),
        max_length=10,
        choices=Combination.choices,
        blank=True,
        help_text=_(
            "Cộng các xã: sản lượng, thu ngân sách, diện tích, số hộ, số trường. "
            "Bình quân các xã: tỷ lệ, mức bình quân đầu người (gia quyền theo quy mô nếu có)."
        ),
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
            *target_rules("", "plans_programmeitem"),
            models.CheckConstraint(
                condition=(Q(kind=ItemKind.TARGET) & Q(combination__in=Combination.values))
                | (~Q(kind=ItemKind.TARGET) & Q(combination="")),
                name="plans_programmeitem_target_combination",
                violation_error_message=_(
                    "Chỉ tiêu phải chọn cách tổng hợp từ các xã (cộng hoặc bình quân)."
                ),
            ),
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=~Q(code=""),
                name="plans_programmeitem_code_unique",
                violation_error_message=_("Ký hiệu này đã dùng trong văn bản."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]
