"""Checks for uploaded files (papers, evidence): the right type, not too big, and the content
really is what the name says.

- :func:`check_pdf_upload` checks a board paper and returns its bytes, hash and page count;
- :func:`validate_pdf_upload` and :func:`validate_image_or_pdf_upload` are field validators::

    paper = models.FileField(upload_to="papers/", validators=[validate_pdf_upload])

The content is checked, not just the name, so ``minutes.pdf`` that is really an HTML page or
an executable is refused. PDFs that carry scripts, launch actions or attached files are
refused too: board members open these papers on council machines.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
# PDF features that run or carry something, never needed in a board paper.
PDF_ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?=[\s/<>\[\]()%{}]|$)"
)

EXTENSIONS = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
}


def _name(file: Any) -> str:
    return str(getattr(file, "name", "") or "")


def _read_all(file: Any) -> bytes:
    stream: IO[bytes] = file.file if hasattr(file, "file") else file
    position = stream.tell() if hasattr(stream, "tell") else 0
    stream.seek(0)
    data = stream.read()
    stream.seek(position)
    return data


def _check_size(file: Any) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None:
        size = len(_read_all(file))
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the most we accept is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _sniff(data: bytes) -> str | None:
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    return None


def _has_attachments(reader: Any) -> bool:
    try:
        return bool(reader.attachments)
    except Exception:  # a damaged name tree: treat as suspicious
        return True


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is password-protected; please upload it without a password."),
                code="encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            _("The file could not be read as a PDF; it may be damaged."), code="bad_pdf"
        ) from exc
    if pages == 0:
        raise ValidationError(_("The PDF has no pages."), code="bad_pdf")
    if PDF_ACTIVE_CONTENT.search(data) or _has_attachments(reader):
        raise ValidationError(
            _("The PDF contains scripts, actions or attached files, which we do not accept."),
            code="active_content",
        )


def _check_image(data: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The image could not be read; it may be damaged."), code="bad_image"
        ) from exc


def _validate(file: Any, allowed: tuple[str, ...], described: str) -> str:
    _check_size(file)
    name = _name(file).lower()
    expected = [kind for kind in allowed if name.endswith(EXTENSIONS[kind])]
    if not expected:
        raise ValidationError(
            _("Please upload %(described)s; “%(name)s” is not one.")
            % {"described": described, "name": _name(file)},
            code="wrong_type",
        )
    data = _read_all(file)
    actual = _sniff(data)
    if actual not in expected:
        raise ValidationError(
            _("“%(name)s” is not really %(described)s: its contents do not match its name.")
            % {"name": _name(file), "described": described},
            code="lying_extension",
        )
    if actual == "pdf":
        _check_pdf(data)
    else:
        _check_image(data)
    return actual


def validate_pdf_upload(file: Any) -> None:
    """Refuse anything but a readable, script-free PDF within ``UPLOAD_MAX_BYTES``."""
    _validate(file, ("pdf",), _("a PDF file"))


def validate_image_or_pdf_upload(file: Any) -> None:
    """Refuse anything but a PDF, PNG or JPEG whose content matches its name."""
    _validate(file, ("pdf", "png", "jpeg"), _("a PDF, PNG or JPEG file"))


# --- Board papers (compact.services.meetings, compact.services.codes) -----------------------


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
