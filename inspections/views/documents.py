"""The conclusion notice as a Word or PDF document, for whoever may open the printed notice:
the same visit lookup, so anyone else gets what that page gives them (login, 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from inspections import documents
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
