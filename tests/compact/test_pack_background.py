"""Generating a board pack runs as a background task: the request returns at once with a
status page, the worker builds the version, and the page then offers it for download."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from compact.models import BoardPack
from compact.platform.background import generate_file_task
from compact.services.meetings import agenda_item_add, paper_generate
from tests.compact.factories import ReportProvider, make_meeting

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def meeting(world: Any) -> Any:
    with ReportProvider(key="tests.plan", label="Implementation Plan update", pages=2):
        february = make_meeting(world.board, venue="Ty Dysgu")
        item = agenda_item_add(meeting=february, title="Implementation plan")
        paper_generate(item=item, provider_key="tests.plan", value="latest")
        yield february


def _generate(client: Any, meeting: Any) -> str:
    response = client.post(reverse("compact:pack_build", args=[meeting.pk]))
    assert response.status_code == 302
    return response["Location"]


def _pdf_pages(response: Any) -> int:
    return len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)


def test_generate_pack_shows_the_ready_pack_with_a_download_link(
    client_for: Any, world: Any, meeting: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("officer")
    status_url = _generate(client, meeting)
    page = client.get(status_url).content.decode()
    assert "Your file is ready." in page
    assert "Board pack" in page
    assert f"Download board-pack-{meeting.date:%Y-%m-%d}-v1.pdf" in page
    assert reverse("compact:meeting_detail", args=[meeting.pk]) + "#pack" in page

    pack = BoardPack.objects.get(meeting=meeting)
    assert pack.version == 1 and pack.created_by == world.users["officer"]
    download = client.get(status_url.split("?")[0] + "download/")
    assert _pdf_pages(download) == pack.page_count
    # The version is on the meeting page and can be circulated as before.
    meeting_page = client.get(reverse("compact:meeting_detail", args=[meeting.pk])).content
    assert reverse("compact:pack_circulate", args=[pack.pk]).encode() in meeting_page


def test_generating_again_without_changes_adds_no_version(
    client_for: Any, meeting: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("officer")
    _generate(client, meeting)
    status_url = _generate(client, meeting)
    assert "Your file is ready." in client.get(status_url).content.decode()
    assert list(BoardPack.objects.filter(meeting=meeting).values_list("version", flat=True)) == [1]


# The worker closes and reopens database connections, so these run outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_request_returns_before_the_pack_is_built(
    client_for: Any, meeting: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_QUEUE
    client = client_for("officer")

    status_url = _generate(client, meeting)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == generate_file_task.module_path
    assert queued.status == "READY"  # waiting for a worker
    assert not BoardPack.objects.filter(meeting=meeting).exists()
    waiting = client.get(status_url).content.decode()
    assert "being prepared" in waiting and 'hx-trigger="every 2s"' in waiting

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert BoardPack.objects.filter(meeting=meeting, version=1).exists()
    ready = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Your file is ready." in ready and "hx-trigger" not in ready
    assert _pdf_pages(client.get(status_url.split("?")[0] + "download/")) >= 3


def test_board_member_cannot_start_a_pack_build_by_any_route(
    client_for: Any, meeting: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    board = client_for("board")
    assert board.post(reverse("compact:pack_build", args=[meeting.pk])).status_code in (403, 404)
    started = board.post(
        reverse("files:file_start"), {"kind": "compact.board_pack", "key": str(meeting.pk)}
    )
    assert started.status_code == 403
    assert not BoardPack.objects.exists()


def test_officer_cannot_queue_a_pack_for_a_meeting_that_does_not_exist(
    client_for: Any, world: Any
) -> None:
    started = client_for("officer").post(
        reverse("files:file_start"), {"kind": "compact.board_pack", "key": "999999"}
    )
    assert started.status_code == 403


def test_meeting_page_queries_stay_fixed_as_pack_versions_grow(
    client_for: Any, meeting: Any, settings: Any, tmp_path: Any, django_assert_max_num_queries: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("officer")
    page = reverse("compact:meeting_detail", args=[meeting.pk])
    _generate(client, meeting)
    with django_assert_max_num_queries(40) as one_version:
        client.get(page)
    baseline = len(one_version.captured_queries)  # read now: later builds fill the query log
    for title in ("Funding code", "Any other business"):
        agenda_item_add(meeting=meeting, title=title)
        _generate(client, meeting)
    assert BoardPack.objects.filter(meeting=meeting).count() == 3
    with django_assert_max_num_queries(baseline):
        assert b"Download version 3 (PDF)" in client.get(page).content


def test_status_page_costs_a_fixed_number_of_queries(
    client_for: Any, meeting: Any, settings: Any, tmp_path: Any, django_assert_max_num_queries: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("officer")
    status_url = _generate(client, meeting)
    with django_assert_max_num_queries(6):
        assert client.get(status_url).status_code == 200
