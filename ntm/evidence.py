"""An NTM assessment carries its evidence files (`org.evidence`): the commune's for its own
column, the district's for its appraisal."""

from __future__ import annotations

import rules

from ntm.models import Assessment
from org.evidence import EvidenceKind, register
from org.rules import visible_units


def _may_attach(user, assessment: Assessment) -> bool:
    return rules.has_perm("ntm.self_assess_ntm", user, assessment.unit) or rules.has_perm(
        "ntm.appraise_ntm", user, assessment.unit
    )


def _page(assessment: Assessment) -> str:
    return f"{assessment.get_absolute_url()}&set={assessment.criteria_set.code}"


def register_evidence() -> None:
    register(
        EvidenceKind(
            key="assessment",
            model=Assessment,
            visible=lambda user: Assessment.objects.filter(
                unit__in=visible_units(user)
            ).select_related("unit__parent", "criteria_set"),
            may_attach=_may_attach,
            page_url=_page,
        )
    )
