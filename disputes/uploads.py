"""Checks on supporting documents: only real PDFs, PNGs and JPEGs, within the size limit.

The file's name, the browser's content type and the file's own bytes must all agree: a
``.pdf`` that is really a script, or a ``.png`` that is really a PDF, is refused. PDFs are
opened with pypdf and images with Pillow (a dependency of WeasyPrint) to make sure they parse.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: frozenset[str]
    magic: tuple[bytes, ...]


KINDS = (
    Kind("application/pdf", frozenset({"pdf"}), (b"%PDF-",)),
    Kind("image/png", frozenset({"png"}), (b"\x89PNG\r\n\x1a\n",)),
    Kind("image/jpeg", frozenset({"jpg", "jpeg"}), (b"\xff\xd8\xff",)),
)
ALLOWED_EXTENSIONS = sorted(ext for kind in KINDS for ext in kind.extensions)


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def _parses(kind: Kind, data: bytes) -> bool:
    if kind.content_type == "application/pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            return len(reader.pages) > 0
        except (PdfReadError, ValueError, KeyError, TypeError, OSError):
            return False
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow ships with WeasyPrint
        return True
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            expected = "PNG" if kind.content_type == "image/png" else "JPEG"
            return image.format == expected
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def check_upload(upload: UploadedFile) -> str:
    """Return the checked content type of an upload, or raise ValidationError saying why not."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((k for k in KINDS if extension in k.extensions), None)
    if kind is None:
        raise ValidationError(
            _("%(name)s: only PDF, PNG and JPEG files can be attached.") % {"name": name}
        )
    if upload.size is not None and upload.size > max_bytes():
        raise ValidationError(
            _("%(name)s is %(size)s; the largest file accepted is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes()),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not any(data.startswith(magic) for magic in kind.magic) or not _parses(kind, data):
        raise ValidationError(
            _(
                "%(name)s is not a valid %(kind)s file: its contents do not match its name. "
                "Attach the original PDF, PNG or JPEG."
            )
            % {"name": name, "kind": extension.upper()}
        )
    return kind.content_type
