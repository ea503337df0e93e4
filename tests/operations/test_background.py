"""Long work runs in the background: the request returns at once, the status page shows the
file when the worker has made it, and only its owner can see or download it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _start(client: Any) -> str:
    response = client.post(reverse("files:file_start"), {"kind": "compact.bodies_pdf"})
    assert response.status_code == 302
    return response["Location"].split("?")[0]


# The worker closes and reopens database connections, so these run outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_officer_gets_bodies_pdf_made_in_the_background(
    client_for: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_QUEUE
    client = client_for("officer")

    status_url = _start(client)
    waiting = client.get(status_url)
    assert "being prepared" in waiting.content.decode()
    assert 'hx-trigger="every 2s"' in waiting.content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    ready = client.get(status_url, headers={"HX-Request": "true"})
    page = ready.content.decode()
    assert "Your file is ready" in page
    assert "hx-trigger" not in page, "polling stops once the file is there"
    download = client.get(status_url + "download/")
    pdf = b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bodies of the Compact" in text
    assert "est Compact Board" in text  # WeasyPrint kerns "T est" apart


@pytest.mark.django_db(transaction=True)
def test_failed_file_says_so_and_stops_polling(
    client_for: Any, world: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from compact.platform import background

    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_QUEUE
    broken = background.FileProducer(
        kind="compact.bodies_pdf", label="broken", produce=lambda key: 1 / 0
    )
    monkeypatch.setattr(background, "file_producer", lambda kind: broken)
    client = client_for("officer")
    status_url = _start(client)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    page = client.get(status_url).content.decode()
    assert "could not be made" in page
    assert "hx-trigger" not in page


def test_another_user_cannot_see_or_download_my_file(
    client_for: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    status_url = _start(client_for("officer"))
    assert client_for("officer").get(status_url).status_code == 200
    other = client_for("board")
    assert other.get(status_url).status_code == 404
    assert other.get(status_url + "download/").status_code == 404


def test_unknown_file_kind_is_refused(client_for: Any, world: Any) -> None:
    response = client_for("officer").post(reverse("files:file_start"), {"kind": "nope"})
    assert response.status_code == 404


@pytest.mark.parametrize("result_id", ["..", "a" * 65, "../../etc"])
def test_odd_task_ids_find_nothing(client_for: Any, world: Any, result_id: str) -> None:
    from compact.platform.background import generated_file_status

    assert generated_file_status(result_id=result_id, user=world.users["officer"]) is None


@pytest.mark.django_db(transaction=True)
def test_a_background_pdf_is_made_in_the_language_of_who_asked(
    client_for: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_QUEUE
    client = client_for("officer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    status_url = _start(client)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    download = client.get(status_url + "download/")
    pdf = b"".join(download.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Cyrff y Compact" in text and "Bodies of the Compact" not in text
