"""Forms of the NTM and rating pages: input shape and validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ntm.distance import applicable
from ntm.models import (
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorResult,
    NtmLevel,
    Rating,
    RatingLevel,
)
from ntm.services import IndicatorAnswer
from org.fields import DayField, IdChoiceField, id_safe_formfield
from org.models import Unit
from plans.forms import QuantityField, TextField

MET_CHOICES = [("", _("Chưa đánh giá")), ("1", _("Đạt")), ("0", _("Chưa đạt"))]


class AssessmentForm(forms.Form):
    """One column of an assessment: met / value / note for every indicator of a set."""

    unresolved: list[tuple[Criterion, str]] = []

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        side: str,
        results: dict[int, IndicatorResult],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            result = results.get(indicator.pk)
            met = getattr(result, f"{side}_met", None) if result else None
            self.fields[f"met-{indicator.pk}"] = forms.TypedChoiceField(
                label=_("Đánh giá"),
                choices=MET_CHOICES,
                required=False,
                coerce=lambda v: v == "1",
                empty_value=None,
                initial="" if met is None else ("1" if met else "0"),
            )
            if indicator.comparison != "met":
                self.fields[f"value-{indicator.pk}"] = QuantityField(
                    label=_("Giá trị"),
                    required=False,
                    initial=getattr(result, f"{side}_value", None) if result else None,
                )
                self.fields[f"value-{indicator.pk}"].widget.attrs["aria-label"] = (
                    f"{_('Giá trị')} – {indicator.code}"
                )
            self.fields[f"note-{indicator.pk}"] = TextField(
                label=_("Minh chứng, ghi chú"),
                required=False,
                max_length=1000,
                initial=getattr(result, f"{side}_note", "") if result else "",
                widget=forms.TextInput(
                    attrs={"aria-label": f"{_('Minh chứng, ghi chú')} – {indicator.code}"}
                ),
            )

    @classmethod
    def for_set(
        cls,
        data: QueryDict | None,
        *,
        criteria: list[Criterion],
        indicators: dict[int, list[Indicator]],
        side: str,
        results: dict[int, IndicatorResult],
        region: str = "",
    ) -> AssessmentForm:
        """The form over the indicators of a set that apply to a commune of `region` (its
        region's threshold, else the one for everyone), criterion by criterion in number
        order; `unresolved` lists the codes with no threshold for it."""
        ordered, unresolved = [], []
        for criterion in criteria:
            chosen, codes = applicable(indicators.get(criterion.pk, []), region)
            ordered += chosen
            unresolved += [(criterion, code) for code in codes]
        form = cls(data, indicators=ordered, side=side, results=results)
        form.unresolved = unresolved
        return form

    def rows(self) -> list[tuple[Indicator, list]]:
        """(indicator, its bound fields) in the set's order, for the template."""
        return [
            (
                i,
                [
                    self[name]
                    for name in (f"met-{i.pk}", f"value-{i.pk}", f"note-{i.pk}")
                    if name in self.fields
                ],
            )
            for i in self.indicators
        ]

    def answers(self) -> dict[int, IndicatorAnswer]:
        data = self.cleaned_data
        return {
            i.pk: IndicatorAnswer(
                met=data[f"met-{i.pk}"],
                value=data.get(f"value-{i.pk}"),
                note=data[f"note-{i.pk}"],
            )
            for i in self.indicators
        }


class AssignmentForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Mức"), choices=NtmLevel.choices)
    criteria_set = IdChoiceField(
        label=_("Bộ tiêu chí"), queryset=CriteriaSet.objects.order_by("-valid_from", "level")
    )
    source = TextField(label=_("Văn bản, cuộc họp giao"), required=False, max_length=300)


class RecognitionForm(forms.Form):
    level = forms.ChoiceField(label=_("Mức"), choices=NtmLevel.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    decision = TextField(label=_("Số quyết định"), max_length=200)
    decided_on = DayField(label=_("Ngày quyết định"), required=False)


class GoalForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Mức"), choices=NtmLevel.choices)
    count = forms.IntegerField(label=_("Số xã phấn đấu đạt thêm"), min_value=0, max_value=10000)
    source = TextField(label=_("Văn bản"), required=False, max_length=300)


class ScoreField(forms.DecimalField):
    """0–100 with a decimal comma or point: "89,9" and "89.9" are the same score."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["widget"] = forms.TextInput(attrs={"inputmode": "decimal", "class": "input-num"})
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Nhập điểm từ 0 đến 100, ví dụ 89,5.")

    def to_python(self, value: Any):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class RatingForm(forms.ModelForm):
    class Meta:
        formfield_callback = id_safe_formfield
        model = Rating
        fields = ["unit", "organisation", "year", "quarter", "score", "level", "note"]
        field_classes = {"organisation": TextField, "note": TextField, "score": ScoreField}
        help_texts = {"score": _("Có điểm thì mức xếp loại tính theo điểm (≥90, ≥70, ≥50).")}

    def __init__(self, *args: Any, units, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.full_name
        self.fields["level"].required = False
        self.fields["level"].choices = [("", _("Theo điểm")), *RatingLevel.choices]
        self.fields["organisation"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("score") is None and not data.get("level"):
            self.add_error("level", _("Chọn mức xếp loại hoặc nhập điểm."))
        return data


def supervised_units(user_unit: Unit | None, year: int | None = None):
    """Units a rating may be given to: the user's unit and the units below it."""
    units = Unit.objects.all() if user_unit is None else Unit.objects.within(user_unit)
    if year is not None:
        units = units.valid_in_year(year)
    return units.order_by("code")


class RoadmapForm(forms.Form):
    """The planned year for each criterion of a set."""

    def __init__(self, *args: Any, criteria, planned: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"year-{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.number}. {criterion.name}",
                required=False,
                min_value=2000,
                max_value=2100,
                initial=planned.get(criterion.pk),
                widget=forms.NumberInput(attrs={"class": "input-year"}),
            )

    def years(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data[f"year-{c.pk}"] for c in self.criteria}
