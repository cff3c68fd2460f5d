"""Forms of the inspection pages: input shape, choices within the user's scope, validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    Campaign,
    Delegation,
    Directive,
    Finding,
    FindingKind,
    Issuer,
    ProposedStatus,
    Visit,
    VisitKind,
)
from inspections.rules import current_delegations
from org.fields import DayField, id_safe_formfield
from org.models import Cluster, Field, Role, Unit, User
from org.params import parse_id
from org.rules import is_admin, is_inspector, visible_units
from org.search import matching
from plans.forms import MAX_TEXT, TextField, clean_text
from plans.models import CommunePlan, PlanItem


def clean_lines(value: str) -> str:
    """`clean_text` line by line: keeps the line breaks of a list (recipients, members)."""
    lines = (clean_text(line) for line in value.splitlines())
    return "\n".join(line for line in lines if line)


class LinesField(TextField):
    def to_python(self, value: Any) -> str:
        return clean_lines(forms.CharField.to_python(self, value))


def clean_text_fields(model_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Text inputs of model forms are cleaned (NFC, single spaces) and bounded; a text area
    keeps its line breaks; rows are chosen by ids checked before any query."""
    if isinstance(model_field, models.CharField | models.TextField) and not model_field.choices:
        kwargs.setdefault("max_length", model_field.max_length or MAX_TEXT)
        form_class = LinesField if isinstance(model_field, models.TextField) else TextField
        return model_field.formfield(form_class=form_class, **kwargs)
    return id_safe_formfield(model_field, **kwargs)


def _unit_choices(field: forms.ModelChoiceField) -> None:
    field.label_from_instance = lambda unit: unit.full_name


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["unit", "year", "title", "decision", "starts_on", "ends_on", "summary"]
        formfield_callback = clean_text_fields
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_admin(user):
            units = Unit.objects.exclude(kind__in=("commune", "ward", "township"))
        else:
            units = Unit.objects.filter(pk=user.unit_id)
        self.fields["unit"].queryset = units.order_by("code")
        _unit_choices(self.fields["unit"])


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["name", "head_role", "member_roles", "members", "units"]
        formfield_callback = clean_text_fields
        widgets = {
            "member_roles": forms.Textarea(attrs={"rows": 3}),
            "members": forms.CheckboxSelectMultiple,
            "units": forms.CheckboxSelectMultiple,
        }

    # At most this many accounts found by a search are offered at once.
    MEMBERS_SHOWN = 20

    def __init__(
        self, *args: Any, campaign: Campaign, member_query: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        units = Unit.objects.within(campaign.unit)
        # Only the accounts of the campaign's own unit and the units below it: never the
        # country's, which would name every province's staff to this office.
        candidates = User.objects.filter(
            is_active=True,
            role__in=(Role.INSPECTOR, Role.DISTRICT_STAFF, Role.LEADER),
            unit__in=units,
        ).order_by("username")
        self.fields["members"].queryset = candidates
        self.member_query = member_query.strip()[:100]
        self._offer_members(candidates)
        self.fields["units"].queryset = (
            units.exclude(pk=campaign.unit_id).valid_in_year(campaign.year).order_by("code")
        )
        _unit_choices(self.fields["units"])

    def _offer_members(self, candidates) -> None:
        """The checkboxes shown: the members chosen so far, then the accounts the search
        finds (by name, account or job title, diacritics ignored); never the whole list."""
        field = self.fields["members"]
        if self.is_bound:
            chosen = self.data.getlist(self.add_prefix("members"))
        else:  # the delegation's members, as the model form already read them
            chosen = [getattr(m, "pk", m) for m in self.initial.get("members", [])]
        chosen_ids = [pk for pk in (parse_id(str(v)) for v in chosen) if pk is not None]
        shown = list(candidates.filter(pk__in=chosen_ids))
        self.members_found = None
        if self.member_query:
            found = matching(
                candidates.exclude(pk__in=chosen_ids),
                self.member_query,
                "username",
                "last_name",
                "first_name",
                "job_title",
            )
            self.members_found = list(found[: self.MEMBERS_SHOWN])
            shown += self.members_found
        field.widget.choices = [(user.pk, _member_label(user)) for user in shown]

    def not_validated(self) -> DelegationForm:
        """The form posted back to search for members: shown as typed, without the errors
        of fields not filled in yet."""
        self._errors = ErrorDict()
        return self


def _member_label(user: User) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({user.username}){f' – {user.job_title}' if user.job_title else ''}"


class VisitForm(forms.ModelForm):
    """A visit's particulars; hosts, delegations and clusters offered are the user's own.

    The cluster fields belong to a cluster conference only: the page shows them for that kind
    and the form drops them for the others. The chair is prefilled from the delegation's head.
    """

    conference_only = ("cluster", "half", "attending")

    class Meta:
        model = Visit
        fields = [
            "kind",
            "host",
            "delegation",
            "date",
            "part_of_day",
            "cluster",
            "half",
            "attending",
            "chair_role",
            "topic",
            "attendees",
            "plans",
            "notice_number",
            "notice_place",
            "recipients",
            "issuer",
            "signer_name",
        ]
        formfield_callback = clean_text_fields
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "attending": forms.CheckboxSelectMultiple,
            "plans": forms.CheckboxSelectMultiple,
        }
        help_texts = {"notice_number": _("Không ghi chữ “Số”, ví dụ: 12-TB/ĐKT.")}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("kind") != VisitKind.CLUSTER_CONFERENCE:
            # hidden for the other kinds: whatever these fields still hold is not this visit's
            self.data = self.data.copy()
            for name in self.conference_only:
                self.data.pop(name, None)
        units = visible_units(user).order_by("code")
        delegations = Delegation.objects.select_related("campaign").order_by(
            "-campaign__year", "name"
        )
        if is_inspector(user):
            # An inspector records only for this year's delegations, at their units.
            delegations = current_delegations(user).select_related("campaign").order_by("name")
            units = units.filter(inspection_delegations__in=delegations).distinct()
            self.fields["delegation"].required = True
            self.fields["delegation"].error_messages["required"] = _(
                "Hãy chọn đoàn công tác của đợt kiểm tra năm nay mà bạn là thành viên."
            )
        elif not is_admin(user):
            delegations = delegations.filter(campaign__unit__in=units)
        self.fields["host"].queryset = units
        self.fields["attending"].queryset = units.planning()
        for name in ("host", "attending"):
            _unit_choices(self.fields[name])
        self.fields["delegation"].queryset = delegations
        self.fields["delegation"].label_from_instance = lambda d: (
            f"{d.name} – {d.campaign.year} – {d.campaign.title}"
        )
        self.fields["cluster"].queryset = Cluster.objects.filter(unit__in=units).order_by(
            "-year", "name"
        )
        self.fields["cluster"].label_from_instance = lambda c: f"{c.name} ({c.year})"
        self.fields["kind"].widget.attrs["data-kind-select"] = ""
        self.fields["issuer"].required = False  # the Party committee unless said otherwise
        self.chairs = {
            pk: _("%(role)s, Trưởng đoàn") % {"role": role}
            for pk, role in delegations.values_list("pk", "head_role")
        }
        delegation = parse_id(str(self.initial.get("delegation") or ""))
        if not self.is_bound and not self.initial.get("chair_role") and delegation in self.chairs:
            self.initial["chair_role"] = self.chairs[delegation]
        if self.instance.pk:
            # The host stays; the plans offered are the host's plans of the visit's year.
            del self.fields["host"]
            self.fields["plans"].queryset = CommunePlan.objects.filter(
                unit=self.instance.host_id, year=self.instance.date.year
            ).order_by("revision")
        else:
            # A new visit reviews the host's plans of its year, linked when it is saved.
            del self.fields["plans"]

    def clean_issuer(self) -> str:
        return self.cleaned_data["issuer"] or Issuer.PARTY

    def _post_clean(self) -> None:
        # The service runs the model's validation with the host set; skip it here.
        pass


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["kind", "field", "text"]
        formfield_callback = clean_text_fields
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.order_by("order", "name")

    def _post_clean(self) -> None:
        pass


class CampaignFindingForm(FindingForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.value, k.label) for k in FindingKind if k != FindingKind.NEXT_TASK
        ]


class DirectiveForm(forms.ModelForm):
    class Meta:
        model = Directive
        fields = ["unit", "text", "field", "lead", "cooperating", "deadline", "plan_item"]
        formfield_callback = clean_text_fields
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.order_by("order", "name")
        if visit.is_conference:
            units = Unit.objects.filter(pk=visit.host_id) | visit.attending.all()
            self.fields["unit"].queryset = units.distinct().order_by("code")
            self.fields["unit"].required = False
            _unit_choices(self.fields["unit"])
        else:
            del self.fields["unit"]
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(plan__in=visit.plans.all())
            .select_related("plan")
            .order_by("plan_id", "kind", "order")
        )
        self.fields["plan_item"].label_from_instance = lambda item: item.text[:120]

    def _post_clean(self) -> None:
        pass


class CommitmentForm(forms.Form):
    text = TextField(label=_("Nội dung cam kết"), widget=forms.Textarea(attrs={"rows": 2}))
    due = DayField(label=_("Hạn"), required=False)


class AnswerForm(forms.Form):
    text = TextField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = TextField(
        label=_("Minh chứng"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposed = forms.ChoiceField(label=_("Đề nghị"), choices=ProposedStatus.choices)


class CloseForm(forms.Form):
    """Verification of a directive the unit has reported on."""

    completed_on = DayField(label=_("Hoàn thành ngày"))
    note = TextField(label=_("Ý kiến xác nhận"), required=False, max_length=500)


class CloseWithoutAnswerForm(CloseForm):
    """Closing a directive the unit never answered: said explicitly, with the reason."""

    note = TextField(
        label=_("Lý do đóng khi chưa có báo cáo"),
        max_length=500,
        help_text=_("Ví dụ: đoàn đã kiểm tra thực tế tại xã; nội dung được thay bằng chỉ đạo mới."),
    )
    without_answer = forms.BooleanField(
        label=_("Tôi xác nhận đóng ý kiến chỉ đạo khi đơn vị chưa báo cáo kết quả thực hiện"),
        error_messages={"required": _("Hãy đánh dấu xác nhận đóng khi chưa có báo cáo.")},
    )


class ReopenForm(forms.Form):
    reason = TextField(label=_("Lý do mở lại"), max_length=500)


class VisitFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *VisitKind.choices]
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    q = TextField(label=_("Đơn vị hoặc nội dung"), required=False, max_length=100)
