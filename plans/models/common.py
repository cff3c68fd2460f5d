"""Choices and rules shared by programme items and plan items."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

# The year range is the ground's; plans, assessments and ratings validate against it.
from org.models import FIRST_YEAR as FIRST_YEAR
from org.models import LAST_YEAR as LAST_YEAR
from org.models import YEAR_MESSAGE as YEAR_MESSAGE
from org.models import YEAR_RANGE as YEAR_RANGE

YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


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


class Combination(models.TextChoices):
    """How a higher level's target combines the values of the communes' targets (tổng hợp)."""

    # Outputs, revenue, and point-in-time quantities that add up: hectares, households, schools.
    SUM = "sum", _("Cộng các xã")
    # Rates and per-head or per-hectare levels: weighted by each commune's base (số hộ, số
    # dân, diện tích…) where every commune gives it, a plain mean otherwise.
    AVERAGE = "average", _("Bình quân các xã")


# Measure units of a rate; a unit "per" something (triệu đồng/người, tạ/ha) is a level too.
RATE_UNITS = {"%", "‰"}


def default_combination(measure_unit: str) -> str:
    """A sensible proposal for a target's combination, from its measure unit."""
    unit = measure_unit.strip()
    return Combination.AVERAGE if unit in RATE_UNITS or "/" in unit else Combination.SUM


def item_counts() -> dict[str, Count]:
    return {
        f"{kind}_count": Count("items", filter=Q(items__kind=kind), distinct=True)
        for kind in ItemKind.values
    }


def target_rules(prefix: str, app_model: str) -> list[models.BaseConstraint]:
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
