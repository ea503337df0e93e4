"""Checks for uploaded PDFs: PDF only, size-limited, and really a PDF that pypdf can read."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    sha256: str
    pages: int


def read_pdf_pages(content: bytes) -> int:
    """The number of pages pypdf reads from ``content``; raises ValueError when it cannot."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValueError("encrypted")
        count = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - touching each page proves its dictionary is readable
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ValueError(str(exc)) from exc
    if count == 0:
        raise ValueError("no pages")
    return count


def check_pdf_upload(upload: UploadedFile) -> CheckedPdf:
    """Refuse anything but a readable PDF under the size limit, saying exactly why."""
    name = upload.name or ""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; papers may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if not name.lower().endswith(".pdf"):
        raise ValidationError(
            _("Only PDF files can be uploaded; %(name)s is not a PDF.") % {"name": name},
            code="not_pdf",
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)},
            code="too_large",
        )
    if b"%PDF-" not in content[:1024]:
        raise ValidationError(
            _("%(name)s is named .pdf but is not a PDF document. Save it as PDF and try again.")
            % {"name": name},
            code="not_pdf",
        )
    try:
        pages = read_pdf_pages(content)
    except ValueError as exc:
        message = (
            _("%(name)s is password-protected; upload a copy without a password.")
            if str(exc) == "encrypted"
            else _("%(name)s is damaged and cannot be read as a PDF. Export it again and retry.")
        )
        raise ValidationError(message % {"name": name}, code="broken_pdf") from exc
    upload.seek(0)
    return CheckedPdf(content=content, sha256=hashlib.sha256(content).hexdigest(), pages=pages)
