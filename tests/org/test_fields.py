"""Days are typed and shown dd/mm/yyyy whatever the browser's language."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from org.fields import DayField, DayInput


class DayForm(forms.Form):
    day = DayField(label="Ngày")


@pytest.mark.parametrize(
    "typed", ["20/06/2023", "20-06-2023", "20.06.2023", "2023-06-20", " 20/06/2023 "]
)
def test_a_day_is_read_the_vietnamese_way_and_in_iso(typed: str) -> None:
    form = DayForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2023, 6, 20)


@pytest.mark.parametrize("typed", ["06/20/2023", "31/02/2023", "hôm nay", "20/06"])
def test_a_day_out_of_shape_is_refused_with_an_example(typed: str) -> None:
    form = DayForm({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/06/2023."]


def test_a_day_is_shown_dd_mm_yyyy_in_a_text_box() -> None:
    html = str(DayForm(initial={"day": datetime.date(2023, 6, 20)})["day"])
    assert 'type="text"' in html and 'value="20/06/2023"' in html
    assert 'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html


def test_a_typed_day_comes_back_as_typed_after_an_error() -> None:
    html = str(DayForm({"day": "31/02/2023"})["day"])
    assert 'value="31/02/2023"' in html


def test_model_forms_use_the_day_box() -> None:
    from inspections.forms import CloseForm
    from plans.forms import ProgrammeHeaderForm

    assert isinstance(CloseForm().fields["completed_on"].widget, DayInput)
    assert isinstance(ProgrammeHeaderForm().fields["issued_on"].widget, DayInput)
