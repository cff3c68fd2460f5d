"""Evidence files (tài liệu minh chứng): uploading one to an object, downloading it, taking
it off. Every object kind is registered by its domain (`org.evidence`); each view finds the
object through the kind's scoped queryset, so another commune's object, or a file of it,
is not found (404), and checks the kind's permission to attach (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from org import services
from org.evidence import EvidenceKind, find_object, kind_named, kind_of, may_remove
from org.models import Attachment
from portal.forms import AttachmentForm


def _object(request: HttpRequest, key: str, pk: int) -> tuple[EvidenceKind, models.Model]:
    kind = kind_named(key)
    obj = kind.visible(request.user).filter(pk=pk).first() if kind else None
    if obj is None:
        raise Http404
    return kind, obj


@require_http_methods(["GET", "POST"])
@login_required
def attachment_upload(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Attach a file to an object. The object's page holds the same form; a refusal comes
    back here with the reason and what was typed (a file input cannot be refilled)."""
    kind, obj = _object(request, key, pk)
    if not kind.may_attach(request.user, obj):
        raise PermissionDenied
    parts = kind.parts(obj)
    posted = request.method == "POST"
    form = AttachmentForm(
        request.POST if posted else None, request.FILES if posted else None, parts=parts
    )
    if posted and form.is_valid():
        try:
            services.attach_file(
                obj,
                form.cleaned_data["file"],
                by=request.user,
                description=form.cleaned_data["description"],
                part=form.cleaned_data.get("part", ""),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Đã đính kèm tài liệu minh chứng."))
            return redirect(_back(request, kind.page_url(obj)))
    context = {"form": form, "object": obj, "page_url": kind.page_url(obj)}
    return render(request, "portal/attachment_form.html", context, status=400 if posted else 200)


def _back(request: HttpRequest, page_url: str) -> str:
    """The page the form was sent from (the report form or its progress page), if it is a
    path of this site; else the object's page."""
    back = request.POST.get("next", "")
    safe = back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return back if safe else page_url


def _attachment(request: HttpRequest, pk: int) -> tuple[Attachment, models.Model]:
    """A current file whose object the user may see; 404 otherwise."""
    attachment = get_object_or_404(
        Attachment.objects.current().select_related("content_type"), pk=pk
    )
    obj = find_object(request.user, attachment)
    if obj is None:
        raise Http404
    return attachment, obj


@require_safe
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, as a download under the name it was sent with, never shown inline."""
    attachment, _obj = _attachment(request, pk)
    try:
        content = storages[services.EVIDENCE_STORAGE].open(attachment.stored_name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        content,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a file off its object (confirmation first); the removal stays in history."""
    attachment, obj = _attachment(request, pk)
    if not may_remove(request.user, attachment, obj):
        raise PermissionDenied
    page_url = kind_of(type(obj)).page_url(obj)
    if request.method == "POST":
        services.remove_attachment(attachment, obj, by=request.user)
        messages.success(request, _("Đã gỡ tài liệu minh chứng."))
        return redirect(page_url)
    context = {"attachment": attachment, "object": obj, "page_url": page_url}
    return render(request, "portal/attachment_remove.html", context)
