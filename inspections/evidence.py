"""A directive carries the evidence files of its follow-up (`org.evidence`): what the unit
sends with its answer, until the directive is closed."""

from __future__ import annotations

import rules

from inspections.models import Directive
from org.evidence import EvidenceKind, register


def _may_attach(user, directive: Directive) -> bool:
    return directive.completed_on is None and rules.has_perm(
        "inspections.answer_directive", user, directive.unit
    )


def register_evidence() -> None:
    register(
        EvidenceKind(
            key="directive",
            model=Directive,
            visible=lambda user: Directive.objects.visible_to(user).select_related(
                "unit__parent", "visit"
            ),
            may_attach=_may_attach,
            page_url=lambda directive: directive.get_absolute_url(),
        )
    )
