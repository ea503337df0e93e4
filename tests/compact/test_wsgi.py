"""The WSGI entry point gunicorn loads: the application answers, and what was loaded at
start-up is frozen out of the cyclic collector's full passes (see compact/wsgi.py)."""

import gc
import importlib

import pytest
from django.test import RequestFactory
from django.urls import reverse


@pytest.mark.django_db
def test_the_wsgi_module_freezes_what_it_loaded_and_serves() -> None:
    gc.unfreeze()
    try:
        wsgi = importlib.reload(importlib.import_module("compact.wsgi"))
        assert gc.get_freeze_count() > 10_000  # apps, models, URL patterns, views
        # The sign-in page: it needs no service beyond the database (the health check also
        # asks the task queue, which a test database may not answer).
        environ = RequestFactory().get(reverse("login")).environ
        statuses: list[str] = []
        body = b"".join(wsgi.application(environ, lambda status, headers: statuses.append(status)))
        assert statuses[0].startswith("200")
        assert b'name="password"' in body
    finally:
        gc.unfreeze()
