from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Programmes, commune plans and their items, periods (and later: progress, NTM, ratings)."""

    name = "plans"
    verbose_name = _("Kế hoạch")

    def ready(self) -> None:
        from plans.evidence import register_evidence

        register_evidence()
