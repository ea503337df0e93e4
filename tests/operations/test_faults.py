"""When the database goes away the user gets a clear 503 and nothing is half-written; a PDF
that takes too long ends with a clear message, not a hung worker."""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from compact.models import Organisation
from compact.platform.pdf import html_to_pdf
from compact.platform.pdf.limits import PdfRenderError, PdfTimeout, render_pdf_with_timeout
from tests.operations import urls as fault_urls

ON_POSTGRES = connection.vendor == "postgresql"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def unreachable_database() -> Iterator[None]:
    """PostgreSQL: point the connection at a closed port (a real refused connection). SQLite's
    in-memory test database cannot be closed, so there every query fails as a refused open."""
    if ON_POSTGRES:
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    else:

        def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            raise OperationalError("unable to open database file")

        with connection.execute_wrapper(refuse):
            yield


def _terminate_own_backend() -> None:
    """Kill this request's PostgreSQL session from outside, as a server restart would."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_signed_in_user_gets_clear_503_when_database_refuses_connections(world: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.users["board"])
    with unreachable_database():
        response = client.get(reverse("compact:body_list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "briefly unavailable" in page
    assert "Nothing you were saving has been half-written" in page


@pytest.mark.urls("tests.operations.urls")
@pytest.mark.django_db(transaction=True)
def test_connection_lost_after_a_write_gives_503_and_writes_nothing(
    monkeypatch: Any,
) -> None:
    if ON_POSTGRES:
        monkeypatch.setattr(fault_urls, "lose_connection", _terminate_own_backend)
    else:
        failed = []

        def fail_once(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if not failed and sql.lstrip().upper().startswith("SELECT"):
                failed.append(sql)
                raise OperationalError("disk I/O error")
            return execute(sql, params, many, context)

        monkeypatch.setattr(fault_urls, "lose_connection", lambda: wrapper_stack.append(fail_once))
        wrapper_stack = connection.execute_wrappers
    client = Client(raise_request_exception=False)
    response = client.get("/test-faults/lose/")
    if not ON_POSTGRES:
        connection.execute_wrappers.clear()
    connection.close()
    assert response.status_code == 503
    assert not Organisation.objects.filter(name="Half-written Trust").exists()


@pytest.mark.urls("tests.operations.urls")
def test_view_failing_after_a_write_leaves_nothing_behind(db: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-faults/fail/")
    assert response.status_code == 500
    assert not Organisation.objects.filter(name="Half-written Trust").exists()


@pytest.mark.urls("tests.operations.urls")
def test_a_server_error_is_mailed_to_the_admins_with_its_traceback(db: Any, settings: Any) -> None:
    from django.core import mail

    settings.ADMINS = [("Ops desk", "ops@council.example.org")]
    response = Client(raise_request_exception=False).get("/test-faults/fail/")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ops@council.example.org"]
    assert "/test-faults/fail/" in message.subject
    assert "fails after the first write" in message.body


def _sleep_then_pdf(seconds: float) -> bytes:
    time.sleep(seconds)
    return b"%PDF-never"


def test_pdf_taking_too_long_is_stopped_with_clear_error() -> None:
    started = time.monotonic()
    with pytest.raises(PdfTimeout) as raised:
        render_pdf_with_timeout(_sleep_then_pdf, 30, seconds=0.5)
    assert time.monotonic() - started < 5
    assert "0.5 seconds" in raised.value.user_message


def test_pdf_within_time_limit_is_returned() -> None:
    pdf = render_pdf_with_timeout(html_to_pdf, "<h1>Board paper</h1>", seconds=30)
    assert pdf.startswith(b"%PDF-")


def test_pdf_renderer_failure_is_reported_not_hung() -> None:
    with pytest.raises(PdfRenderError, match="ZeroDivisionError"):
        render_pdf_with_timeout(lambda: 1 / 0, seconds=10)


@pytest.mark.urls("tests.operations.urls")
def test_slow_pdf_page_shows_friendly_message(db: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-faults/slow-pdf/")
    assert response.status_code == 503
    assert "took longer than 0.2 seconds" in response.content.decode()


def test_timed_out_pdf_child_stops_even_where_the_parent_handles_sigterm() -> None:
    # The task worker and gunicorn install graceful SIGTERM handlers; the child must not
    # inherit them and carry on rendering.
    previous = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        started = time.monotonic()
        with pytest.raises(PdfTimeout):
            render_pdf_with_timeout(_sleep_then_pdf, 30, seconds=0.3)
        assert time.monotonic() - started < 1.5
    finally:
        signal.signal(signal.SIGTERM, previous)
