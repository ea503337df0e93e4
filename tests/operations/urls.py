"""Test-only views that fail in the ways production can: the database going away mid-write,
and a PDF that takes too long."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import path

from compact.models import Organisation
from compact.platform.access import public
from compact.platform.pdf import html_to_pdf
from compact.platform.pdf.limits import render_pdf_with_timeout
from compact.urls import urlpatterns as root_urlpatterns

# The test sets this to something that makes the database go away.
lose_connection: Callable[[], None] = lambda: None  # noqa: E731


@public
def write_then_lose_connection(request: HttpRequest) -> HttpResponse:
    Organisation.objects.create(name="Half-written Trust", short_name="HWT", sector="third")
    lose_connection()
    Organisation.objects.count()
    return HttpResponse("unreachable")


@public
def write_then_fail(request: HttpRequest) -> HttpResponse:
    Organisation.objects.create(name="Half-written Trust", short_name="HWT", sector="third")
    raise RuntimeError("fails after the first write")


@public
def slow_pdf(request: HttpRequest) -> HttpResponse:
    rows = "".join(f"<tr><td>Row {n}</td><td>{'word ' * 40}</td></tr>" for n in range(4000))
    pdf = render_pdf_with_timeout(html_to_pdf, f"<table>{rows}</table>", seconds=0.2)
    return HttpResponse(pdf, content_type="application/pdf")


urlpatterns = [
    *root_urlpatterns,
    path("test-faults/lose/", write_then_lose_connection, name="lose"),
    path("test-faults/fail/", write_then_fail, name="fail"),
    path("test-faults/slow-pdf/", slow_pdf, name="slow_pdf"),
]
handler500 = "compact.platform.middleware.server_error"
