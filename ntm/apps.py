from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NtmConfig(AppConfig):
    """New-rural (NTM) criteria, assessments, goals, assignments, recognitions and ratings."""

    name = "ntm"
    verbose_name = _("Nông thôn mới và xếp loại")

    def ready(self) -> None:
        from ntm.evidence import register_evidence

        register_evidence()
