"""Small cross-cutting middleware."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def no_store_for_authenticated(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Keep pages shown to a signed-in user out of every cache (browser, proxy)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response

    return middleware
