"""The conclusion notice and the cluster conference report as Word or PDF documents, for
whoever may open the visit: the same visit lookup, so anyone else gets what that page gives
them (login, 404). `kind` ("docx" or "pdf") comes from the URL conf."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from inspections import documents
from inspections.views.visits import _visit
from org.documents import document_response


@require_safe
@login_required
def visit_notice_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    visit = _visit(request, pk)
    context = documents.notice_document(visit)
    return document_response(
        request, kind, documents.NOTICE, context, documents.notice_filename(visit, kind)
    )


@require_safe
@login_required
def conference_report(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A cluster conference's report; any other kind of visit has none (404)."""
    visit = _visit(request, pk)
    if not visit.is_conference:
        raise Http404
    context = documents.conference_document(visit)
    return document_response(
        request, kind, documents.CONFERENCE, context, documents.conference_filename(visit, kind)
    )
