"""Forms of the portal's own pages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from org.evidence import allowed_types, check_file, limits_text
from org.models import ReminderPolicy, validate_days_before


class LoginForm(AuthenticationForm):
    """The login form, with autocomplete hints for password managers."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class ReminderPolicyForm(forms.ModelForm):
    """Lịch đôn đốc of the user's own unit, for its communes' directives and reports."""

    class Meta:
        model = ReminderPolicy
        fields = ["days_before", "on_the_day", "every_after", "escalate_after"]
        widgets = {
            "days_before": forms.TextInput(attrs={"inputmode": "numeric", "size": 12}),
            "every_after": forms.NumberInput(attrs={"min": 1, "max": 60}),
            "escalate_after": forms.NumberInput(attrs={"min": 1, "max": 20}),
        }

    def clean_days_before(self) -> str:
        """Kept in order, without repeats or spaces: "7, 3,1,3" → "7,3,1"."""
        value = self.cleaned_data["days_before"]
        validate_days_before(value)
        days = {int(part) for part in value.split(",") if part.strip()}
        return ",".join(str(day) for day in sorted(days, reverse=True))


class AttachmentForm(forms.Form):
    """One evidence file, what it is, and (for a report) the target row it backs. The file
    is checked here to show the reason on the field, and again by the service."""

    file = forms.FileField(label=_("Tệp minh chứng"))
    description = forms.CharField(
        label=_("Nội dung tài liệu"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: Biên bản kiểm tra ngày 16/02/2023."),
    )
    part = forms.ChoiceField(label=_("Minh chứng cho"), required=False)

    def __init__(self, *args, parts=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = limits_text()
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in allowed_types())
        if parts:
            self.fields["part"].choices = [("", _("Cả báo cáo")), *parts]
        else:
            del self.fields["part"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_file(upload)
        return upload
