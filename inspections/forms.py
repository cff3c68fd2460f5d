"""Forms of the inspection pages: input shape and validation only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import ProposedStatus
from plans.forms import TextField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AnswerForm(forms.Form):
    text = TextField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = TextField(
        label=_("Minh chứng"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposed = forms.ChoiceField(label=_("Đề nghị"), choices=ProposedStatus.choices)


class CloseForm(forms.Form):
    completed_on = forms.DateField(label=_("Hoàn thành ngày"), widget=DATE_WIDGET)
    note = TextField(label=_("Ý kiến xác nhận"), required=False, max_length=500)
