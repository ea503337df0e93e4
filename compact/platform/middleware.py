"""When the database goes away, the user gets a clear "try again shortly" page (503), not a
stack trace or a generic error. Each request is one transaction (``ATOMIC_REQUESTS``), so
whatever the request had written before the connection dropped is rolled back with it.

Two ways in, because Django turns an exception into a response at every middleware layer:
``process_exception`` catches a lost connection inside a view, and :func:`server_error` (the
root URLconf's ``handler500``) catches one raised by another middleware, such as the session
or the access check reading the signed-in user.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    """The 503 page. Rendered without a request context: the context processors would query
    the very database that has gone away."""
    html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, DATABASE_ERRORS)


class DatabaseUnavailableMiddleware:
    """Turns a lost or refused database connection inside a view into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        logger.error("Database unavailable at %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 page for a lost database, the plain 500 page for anything else."""
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        logger.error("Database unavailable at %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()
    return HttpResponseServerError(loader.get_template("500.html").render())


class PdfTimeoutMiddleware:
    """A view whose PDF took too long (``compact.platform.pdf.limits.PdfTimeout``) shows a clear
    message instead of an error page; the worker process was never blocked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from compact.platform.pdf.limits import PdfTimeout

        if not isinstance(exception, PdfTimeout):
            return None
        logger.warning("PDF timed out for %s: %s", request.path, exception)
        response = render(
            request, "pdf_timeout.html", {"message": exception.user_message}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
