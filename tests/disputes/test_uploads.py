"""Supporting documents: only real PDFs, PNGs and JPEGs, within the size limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compact.platform.uploads import EVIDENCE, check_upload
from disputes.models import SupportingDocument
from tests.disputes.factories import dispute_world, jpeg_bytes, pdf_bytes, png_bytes, upload


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", pdf_bytes(), "application/pdf"),
        ("photo.png", png_bytes(), "image/png"),
        ("photo.JPG", jpeg_bytes(), "image/jpeg"),
        ("photo.jpeg", jpeg_bytes(), "image/jpeg"),
    ],
)
def test_real_pdf_png_and_jpeg_are_accepted(name, content, expected) -> None:
    assert check_upload(upload(name, content), kinds=EVIDENCE).content_type == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("macro.docx", b"PK\x03\x04", "only PDF, PNG image or JPEG image files can be"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "contents do not match its name"),
        ("image.pdf", png_bytes(), "contents do not match its name"),
        ("document.png", pdf_bytes(), "contents do not match its name"),
        ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "damaged and cannot be read as a PDF"),
        ("truncated.png", png_bytes()[:20], "damaged and cannot be read as an image"),
        ("noextension", pdf_bytes(), "only PDF, PNG image or JPEG image"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_files_that_lie_about_their_type_are_refused(name, content, message) -> None:
    with pytest.raises(ValidationError, match=message):
        check_upload(upload(name, content), kinds=EVIDENCE)


def test_files_over_the_size_limit_are_refused(settings) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the largest file accepted is 100"):
        check_upload(upload("big.png", png_bytes((64, 64)) + b"\0" * 200), kinds=EVIDENCE)


def test_a_refused_upload_on_the_page_says_why_and_attaches_nothing(world: Any, client) -> None:
    dw = dispute_world(world)
    dispute = dw.disputes["informal"]
    before = SupportingDocument.objects.count()
    client.force_login(dw.users["raiser"])

    response = client.post(
        reverse("disputes:document_add", kwargs={"pk": dispute.pk}),
        {"documents": [upload("good.png", png_bytes()), upload("evil.pdf", b"<script>")]},
    )

    assert response.status_code == 400
    assert "evil.pdf is not really a PDF file" in response.content.decode()
    assert SupportingDocument.objects.count() == before


def test_parties_can_attach_real_documents(world: Any, client) -> None:
    dw = dispute_world(world)
    dispute = dw.disputes["informal"]
    client.force_login(dw.users["contact"])

    response = client.post(
        reverse("disputes:document_add", kwargs={"pk": dispute.pk}),
        {"documents": [upload("reply.pdf", pdf_bytes()), upload("photo.png", png_bytes())]},
    )

    assert response.status_code == 302
    names = set(dispute.documents.values_list("original_name", flat=True))
    assert {"reply.pdf", "photo.png"} <= names
    stored = dispute.documents.get(original_name="reply.pdf")
    assert stored.content_type == "application/pdf"
    assert "reply" not in stored.file.name  # stored under a random name
