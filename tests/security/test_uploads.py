"""Uploads of the wrong type, oversized, or with a lying extension are refused with a clear
message; real PDFs and images pass."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from compact.pdf import html_to_pdf
from compact.uploads import validate_image_or_pdf_upload, validate_pdf_upload

pytestmark = pytest.mark.security


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    return html_to_pdf("<h1>Minutes of the Compact Board</h1>")


def png_bytes() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(stream, format="PNG")
    return stream.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(validator: Any, file: Any) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validator(file)
    return raised.value


def test_real_pdf_and_image_are_accepted(real_pdf: bytes) -> None:
    validate_pdf_upload(upload("minutes.pdf", real_pdf))
    validate_image_or_pdf_upload(upload("minutes.PDF", real_pdf))
    validate_image_or_pdf_upload(upload("photo.png", png_bytes()))


def test_wrong_type_is_refused_by_name() -> None:
    error = refusal(validate_pdf_upload, upload("minutes.docx", b"PK\x03\x04 word file"))
    assert error.code == "wrong_type"
    assert "Please upload a PDF file" in error.messages[0]


def test_lying_extension_is_refused(real_pdf: bytes) -> None:
    html_as_pdf = upload(
        "minutes.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    assert refusal(validate_pdf_upload, html_as_pdf).code == "lying_extension"
    pdf_as_png = upload("photo.png", real_pdf, "image/png")
    error = refusal(validate_image_or_pdf_upload, pdf_as_png)
    assert error.code == "lying_extension"
    assert "contents do not match its name" in error.messages[0]
    exe = upload("evidence.jpg", b"MZ\x90\x00 an executable", "image/jpeg")
    assert refusal(validate_image_or_pdf_upload, exe).code == "lying_extension"


def test_oversized_upload_is_refused_with_sizes(settings: Any, real_pdf: bytes) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    big = upload("minutes.pdf", real_pdf + b"%" * 2048)
    error = refusal(validate_pdf_upload, big)
    assert error.code == "too_large"
    assert "the most we accept is 1.0\xa0KB" in error.messages[0]


def test_empty_and_damaged_files_are_refused(real_pdf: bytes) -> None:
    assert refusal(validate_pdf_upload, upload("minutes.pdf", b"")).code == "empty"
    damaged = upload("minutes.pdf", real_pdf[:60])
    assert refusal(validate_pdf_upload, damaged).code == "bad_pdf"
    broken_png = upload("photo.png", png_bytes()[:20])
    assert refusal(validate_image_or_pdf_upload, broken_png).code == "bad_image"


def test_pdf_with_script_or_attachment_is_refused(real_pdf: bytes) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    stream = io.BytesIO()
    writer.write(stream)
    error = refusal(validate_pdf_upload, upload("agenda.pdf", stream.getvalue()))
    assert error.code == "active_content"

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("payload.txt", b"hidden")
    stream = io.BytesIO()
    writer.write(stream)
    error = refusal(validate_pdf_upload, upload("agenda.pdf", stream.getvalue()))
    assert error.code == "active_content"


def test_validation_leaves_the_file_readable_from_where_it_was(real_pdf: bytes) -> None:
    file = upload("minutes.pdf", real_pdf)
    file.seek(0)
    validate_pdf_upload(file)
    assert file.read(5) == b"%PDF-"
