"""``/health/`` tells a load balancer whether this app server can serve, and a monitor how the
background queue is doing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.operations.test_faults import unreachable_database


@pytest.mark.django_db
def test_healthy_server_answers_200_with_its_checks() -> None:
    response = Client().get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    assert "queue" not in body["checks"]  # tests run tasks in the request, there is no queue


@pytest.mark.django_db(transaction=True)
def test_lost_database_answers_503_json_not_the_error_page() -> None:
    with unreachable_database():
        response = Client(raise_request_exception=False).get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "cache": "ok"},
    }


@pytest.mark.django_db
def test_queue_reports_waiting_tasks_and_the_oldest_wait(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from compact.platform.reminders import run_reminder_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    for _ in range(2):  # queued, and no worker runs them
        run_reminder_task.enqueue(name="plans.overdue_rows", today="2009-01-26")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
    body = Client().get(reverse("health")).json()
    assert body["status"] == "ok"
    assert body["checks"]["queue"]["waiting"] == 2
    assert 299 <= body["checks"]["queue"]["oldest_wait_seconds"] <= 330


@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.django_db
def test_health_is_reachable_over_plain_http_behind_the_proxy(client: Any) -> None:
    # Probes come from inside the network without TLS; every other page redirects to HTTPS.
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 301
