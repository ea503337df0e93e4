"""A Word plan that unpacks into far more than a plan (a zip bomb) is refused in moments with a
clear message and imports nothing; a real plan still imports."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import ImplementationPlan
from tests.plans.test_import import build_docx
from tests.security.files import rezipped

pytestmark = pytest.mark.security


def plan_docx() -> bytes:
    rows = [["Establish the Board", "Board meets", "Nov 09", "ID", "Met twice"]]
    return build_docx([{"number": 1, "statement": "A Compact Board", "rows": rows}])


def with_body(body: bytes) -> bytes:
    """The plan with ``body`` put at the start of its document part."""
    plan = plan_docx()
    document = zipfile.ZipFile(io.BytesIO(plan)).read("word/document.xml")
    return rezipped(plan, {"word/document.xml": document.replace(b"<w:body>", b"<w:body>" + body)})


def import_through_page(client_for: Any, data: bytes) -> tuple[Any, float]:
    started = time.monotonic()
    response = client_for("officer").post(
        reverse("plans:plan_import"),
        {"file": SimpleUploadedFile("plan.docx", data), "slug": "imported"},
    )
    return response, time.monotonic() - started


def test_a_real_word_plan_still_imports(client_for: Any) -> None:
    response, _seconds = import_through_page(client_for, plan_docx())
    assert response.status_code == 302
    assert ImplementationPlan.objects.filter(slug="imported").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # 30 MB of padding in 30 KB: refused on the sizes the zip declares, before unpacking.
        (b"<!--" + b" " * (30 * 1024 * 1024) + b"-->", "would unpack to 30.8"),
        # A million empty paragraphs in 5 MB: took 21 s and 340 MB before this limit.
        (b"<w:p/>" * 1_000_000, "1,000,013 paragraphs"),
        # A few paragraphs of a quarter of a million runs each.
        (b"<w:p>" + b"<w:r><w:t>x</w:t></w:r>" * 250_000 + b"</w:p>", "1,000,158 XML elements"),
    ],
    ids=["unpacks-to-30-MB", "a-million-paragraphs", "a-million-elements"],
)
def test_a_word_zip_bomb_is_refused_quickly_and_imports_nothing(
    client_for: Any, body: bytes, message: str
) -> None:
    bomb = with_body(body)
    assert len(bomb) < 200 * 1024
    response, seconds = import_through_page(client_for, bomb)
    page = response.content.decode()
    assert message in page
    assert "Nothing was imported" in page or "Save a fresh copy" in page
    assert seconds < 5
    assert not ImplementationPlan.objects.exists()


def test_reading_that_takes_too_long_is_stopped(client_for: Any, settings: Any) -> None:
    settings.PLAN_IMPORT_MAX_SECONDS = 0
    response, _seconds = import_through_page(client_for, plan_docx())
    assert "took longer than 0 seconds, so it was stopped" in response.content.decode()
    assert not ImplementationPlan.objects.exists()
