"""Board members always get a pack: finalising the agenda queues its build, each later change
to the agenda queues a rebuild (one at a time), and a circulated pack is never rebuilt."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from compact.models import BoardPack, PackBuildRequest
from compact.services.meetings import agenda_item_add, paper_write
from compact.services.packs import board_pack_circulate, board_pack_queue
from tests.compact.factories import make_meeting

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def meeting(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(world.board, venue="Ty Dysgu")
    item = agenda_item_add(meeting=meeting, title="Policies")
    paper_write(item=item, title="Policies paper", text="What the Board is asked to note.")
    return meeting


def _page(client: Any, meeting: Any) -> str:
    return client.get(reverse("compact:meeting_detail", args=[meeting.pk])).content.decode()


def test_finalising_the_agenda_builds_the_pack_for_members_and_changes_rebuild_it(
    world: Any, meeting: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    board = client_for("board")
    assert "The board pack will be ready here once the agenda is final." in _page(board, meeting)
    assert "No board pack has been built yet." not in _page(board, meeting)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("officer").post(reverse("compact:agenda_finalise", args=[meeting.pk]))
    assert response.status_code == 302

    first = BoardPack.objects.get(meeting=meeting)
    assert first.version == 1 and first.created_by is None
    page = _page(board, meeting)
    assert reverse("compact:pack_download", args=[first.pk]) in page
    assert "The pack is being prepared" not in page
    assert board.get(reverse("compact:pack_download", args=[first.pk])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        agenda_item_add(meeting=meeting, title="Any other business")
    assert list(BoardPack.objects.filter(meeting=meeting).values_list("version", flat=True)) == [
        2,
        1,
    ]
    assert not PackBuildRequest.objects.exists()


def test_a_circulated_pack_is_never_rebuilt(
    world: Any, meeting: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for("officer").post(reverse("compact:agenda_finalise", args=[meeting.pk]))
    pack = BoardPack.objects.get(meeting=meeting)
    board_pack_circulate(pack=pack, recipients=[world.users["board"]], link_for=lambda p: "/p/")
    with open(pack.file.path, "rb") as handle:
        sent = handle.read()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        agenda_item_add(meeting=meeting, title="Late item")

    assert callbacks == [] or all(c.__name__ != "<lambda>" for c in callbacks)
    assert list(BoardPack.objects.filter(meeting=meeting)) == [pack]
    assert not PackBuildRequest.objects.exists()
    download = client_for("board").get(reverse("compact:pack_download", args=[pack.pk]))
    assert b"".join(download.streaming_content) == sent


def test_many_changes_queue_one_build_and_members_see_it_being_prepared(
    world: Any,
    meeting: Any,
    client_for: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = DATABASE_QUEUE  # nothing runs the queue: the build stays waiting
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        client_for("officer").post(reverse("compact:agenda_finalise", args=[meeting.pk]))
        agenda_item_add(meeting=meeting, title="Second item")
        agenda_item_add(meeting=meeting, title="Third item")
        assert board_pack_queue(meeting=meeting) is False  # already waiting

    assert PackBuildRequest.objects.filter(meeting=meeting).count() == 1
    assert DBTaskResult.objects.count() == 1
    assert not BoardPack.objects.filter(meeting=meeting).exists()
    page = _page(client_for("board"), meeting)
    assert "The pack is being prepared." in page
    assert "No board pack has been built yet." not in page
