from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Campaigns, delegations, visits, findings and directives (built on `plans`)."""

    name = "inspections"
    verbose_name = _("Kiểm tra, làm việc")

    def ready(self) -> None:
        from inspections.evidence import register_evidence

        register_evidence()
