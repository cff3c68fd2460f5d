"""Cross-cutting middleware: request ids, language, no caching of signed-in pages, outages."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger("portal.requests")
_local = threading.local()

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every log record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(_local, "request_id", "-")
        return True


class RequestIdMiddleware:
    """Gives each request a short id, shown on error pages and written in every log line."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = _local.request_id = secrets.token_hex(6)
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = "-"
        response["X-Request-ID"] = request.request_id
        return response


class ChosenLanguageMiddleware:
    """Vietnamese unless the user chose English with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: an office
    computer set up in English must still show the portal in Vietnamese.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


def no_store_for_authenticated(get_response: Handler) -> Handler:
    """Keep pages shown to a signed-in user out of every cache (browser, proxy)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response

    return middleware


class DatabaseUnavailableMiddleware:
    """Answers 503 with Retry-After when the database cannot be reached.

    Nothing was written (each write is one transaction), so the user is told to retry;
    Django reconnects by itself on the next request once the database is back.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", exception)
        context = {"request_id": getattr(request, "request_id", "")}
        response = HttpResponse(render_to_string("503.html", context), status=503)
        response["Retry-After"] = "30"
        return response
