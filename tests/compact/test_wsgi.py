"""The WSGI entry point gunicorn loads: the application answers, and what was loaded at
start-up is frozen out of the cyclic collector's full passes (see compact/wsgi.py)."""

import gc
import importlib
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse

from compact.platform.pdf import limits


@pytest.mark.django_db
def test_the_wsgi_module_freezes_what_it_loaded_and_serves() -> None:
    gc.unfreeze()
    limits._warmed_up = False  # as in a new worker
    try:
        wsgi = importlib.reload(importlib.import_module("compact.wsgi"))
        assert gc.get_freeze_count() > 10_000  # apps, models, URL patterns, views
        # The PDF renderer was loaded before the freeze: no reader's first PDF waits for it.
        assert limits._warmed_up
        assert "weasyprint" in sys.modules
        # The sign-in page: it needs no service beyond the database (the health check also
        # asks the task queue, which a test database may not answer).
        environ = RequestFactory().get(reverse("login")).environ
        statuses: list[str] = []
        body = b"".join(wsgi.application(environ, lambda status, headers: statuses.append(status)))
        assert statuses[0].startswith("200")
        assert b'name="password"' in body
    finally:
        gc.unfreeze()
