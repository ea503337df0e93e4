"""The plan's large PDFs (working draft, two updates compared, progress) are made in the
background for signed-in readers; issued update PDFs are cached and still served at once."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pdfplumber
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.background_files import fetch_generated
from tests.plans.factories import edit_progress, first_row, issue, make_plan

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(page.extract_text() or "" for page in document.pages)


@pytest.fixture
def plan(world: Any) -> Any:
    plan = make_plan(world, is_public=True)
    issue(plan, day=datetime.date(2008, 11, 20))
    edit_progress(first_row(plan), "Meetings held and reviewed")
    issue(plan, day=datetime.date(2009, 1, 26))
    edit_progress(first_row(plan), "Drafted for the next update")
    return plan


def test_officer_gets_the_draft_pdf_from_its_status_page(
    client_for: Any, plan: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("officer")
    response = client.post(reverse("plans:draft_pdf", args=[plan.slug]))
    status_page = client.get(response["Location"]).content.decode()
    assert "Implementation plan: working draft with its changes (PDF)" in status_page
    assert reverse("plans:draft_changes", args=[plan.slug]) in status_page
    assert f"Download {plan.slug}-draft.pdf" in status_page
    assert "Drafted for the next update" in _text(
        fetch_generated(client, reverse("plans:draft_pdf", args=[plan.slug]))
    )


def test_board_member_gets_the_comparison_of_two_updates_as_a_file(
    client_for: Any, plan: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    url = reverse("plans:update_compare_pdf", args=[plan.slug]) + "?since=1&until=2"
    text = _text(fetch_generated(client_for("board"), url))
    assert "Meetings held and reviewed" in text


def test_comparison_in_the_wrong_order_is_refused_before_anything_is_queued(
    client_for: Any, plan: Any
) -> None:
    url = reverse("plans:update_compare_pdf", args=[plan.slug]) + "?since=2&until=1"
    board = client_for("board")
    assert board.get(url).status_code == 404, "not even offered"
    assert board.post(url).status_code == 404


def test_visitor_to_a_public_plan_still_gets_the_progress_pdf_at_once(
    client: Any, plan: Any
) -> None:
    response = client.get(reverse("plans:progress_pdf", args=[plan.slug]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_two_issued_updates_compared_are_rendered_once_and_kept(
    client: Any, plan: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.storage import default_storage

    from plans.cache_keys import COMPARE_STORE

    settings.MEDIA_ROOT = tmp_path
    url = reverse("plans:update_compare_pdf", args=[plan.slug]) + "?since=1&until=2"
    first = client.get(url)
    assert first.status_code == 200 and "Meetings held and reviewed" in _text(first.content)
    _folders, kept = default_storage.listdir(f"{COMPARE_STORE}/{plan.pk}")
    assert len(kept) == 1 and kept[0].startswith("update-1-to-2-")
    # Served from the kept file: change it and the next download shows the change.
    path = f"{COMPARE_STORE}/{plan.pk}/{kept[0]}"
    (tmp_path / path).write_bytes(first.content + b"\n%kept")
    again = client.get(url)
    assert again.content == first.content + b"\n%kept"
    assert again["Content-Disposition"] == f'inline; filename="{plan.slug}-update-1-to-2.pdf"'


def test_visitors_pdfs_are_limited_per_address(client: Any, plan: Any, settings: Any) -> None:
    settings.PUBLIC_PDF_PER_MINUTE = 2
    url = reverse("plans:progress_pdf", args=[plan.slug])
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Please wait a minute" in refused.content.decode()
    # Another address is counted on its own.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_issued_update_pdf_is_still_served_in_the_request(client_for: Any, plan: Any) -> None:
    response = client_for("board").get(reverse("plans:update_report_pdf", args=[plan.slug, 2]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_only_officers_may_queue_a_draft_and_nobody_a_plan_that_does_not_exist(
    client_for: Any, plan: Any
) -> None:
    start = reverse("files:file_start")
    board = client_for("board")
    assert board.post(start, {"kind": "plans.draft_pdf", "key": plan.slug}).status_code == 403
    officer = client_for("officer")
    missing = {"kind": "plans.compare_pdf", "key": "no-such-plan?since=1&until=2"}
    assert officer.post(start, missing).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_draft_waits_for_the_worker(
    client_for: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_QUEUE
    plan = make_plan(world, objectives=1, tasks=1)
    client = client_for("officer")
    status_url = client.post(reverse("plans:draft_pdf", args=[plan.slug]))["Location"]
    assert DBTaskResult.objects.get().status == "READY"
    assert "being prepared" in client.get(status_url).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert "Your file is ready." in client.get(status_url).content.decode()
