"""Checks for uploaded files (papers, evidence): the right type, not too big, and the content
really is what the name says. Use them as model or form field validators::

    paper = models.FileField(upload_to="papers/", validators=[validate_pdf_upload])

The content is checked, not just the name, so ``minutes.pdf`` that is really an HTML page or
an executable is refused. PDFs that carry scripts, launch actions or attached files are
refused too: board members open these papers on council machines.
"""

from __future__ import annotations

import io
import re
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
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
