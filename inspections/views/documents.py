"""The conclusion notice and the cluster conference report as Word or PDF documents, for
whoever may open the visit: the same visit lookup, so anyone else gets what that page gives
them (login, 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from inspections import documents
from inspections.models import Visit
from inspections.views.visits import _visit
from org.documents import docx_response, pdf_response


@require_safe
@login_required
def visit_notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    return docx_response(
        documents.DOCX_TEMPLATE,
        documents.notice_document(visit),
        documents.notice_filename(visit, "docx"),
    )


@require_safe
@login_required
def visit_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    return pdf_response(
        request,
        documents.HTML_TEMPLATE,
        documents.notice_document(visit),
        documents.notice_filename(visit, "pdf"),
    )


def _conference(request: HttpRequest, pk: int) -> Visit:
    """A cluster conference the user may see; any other visit has no such report."""
    visit = _visit(request, pk)
    if not visit.is_conference:
        raise Http404
    return visit


@require_safe
@login_required
def conference_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _conference(request, pk)
    return docx_response(
        documents.CONFERENCE_DOCX_TEMPLATE,
        documents.conference_document(visit),
        documents.conference_filename(visit, "docx"),
    )


@require_safe
@login_required
def conference_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _conference(request, pk)
    return pdf_response(
        request,
        documents.CONFERENCE_HTML_TEMPLATE,
        documents.conference_document(visit),
        documents.conference_filename(visit, "pdf"),
    )
