"""The representatives' report PDF is made in the background; only the Board and officers may
ask for it, and only the one who asked downloads it."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
from django.urls import reverse

from tests.background_files import fetch_generated


def test_board_member_gets_the_report_pdf_from_the_status_page(
    client_for: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    pdf = fetch_generated(client_for("board"), reverse("representatives:report_pdf"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "Representatives" in (document.pages[0].extract_text() or "")


def test_status_page_links_back_to_the_report(
    client_for: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for("officer")
    status_url = client.post(reverse("representatives:report_pdf"))["Location"]
    page = client.get(status_url).content.decode()
    assert "Representatives&#x27; report (PDF)" in page
    assert reverse("representatives:report") in page
    assert client_for("board").get(status_url).status_code == 404


def test_representative_cannot_queue_the_report(client_for: Any, world: Any) -> None:
    response = client_for("representative").post(
        reverse("files:file_start"), {"kind": "representatives.report_pdf"}
    )
    assert response.status_code == 403
