"""The commune plan as a Word or PDF document (Nghị định 30/2020/NĐ-CP), for whoever may open
its page: anyone else gets what the page gives them (login, 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from org.documents import docx_response, pdf_response
from org.models import User
from plans import documents
from plans.models import CommunePlan, Programme


def _plan_context(user: User, pk: int) -> tuple[CommunePlan, dict]:
    """The plan the user may see (else 404) and its document's context, in four queries."""
    plan = get_object_or_404(
        CommunePlan.objects.visible_to(user)
        .select_related("unit__parent")
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.select_related("unit"))
        ),
        pk=pk,
    )
    return plan, documents.plan_context(plan, list(plan.items.all()))


@require_safe
@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan, context = _plan_context(request.user, pk)
    return docx_response(documents.DOCX_TEMPLATE, context, documents.plan_filename(plan, "docx"))


@require_safe
@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan, context = _plan_context(request.user, pk)
    return pdf_response(
        request, documents.HTML_TEMPLATE, context, documents.plan_filename(plan, "pdf")
    )
