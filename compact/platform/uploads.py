"""The one check for every uploaded file (board papers, code versions, terms of reference,
dispute evidence): the right kind, not too big, and the content really is what the name says
and carries nothing that runs.

    checked = check_upload(upload, kinds=EVIDENCE)   # raises ValidationError saying why
    document.file.save(f"evidence-{checked.sha256[:16]}{checked.extension}",
                       ContentFile(checked.content))

What is refused, with a message that names the file:

- a name whose extension is not one of ``kinds``, an empty file, one over ``UPLOAD_MAX_BYTES``
  (counted in bytes read, whatever the browser claimed or left out);
- content that does not match the name (``minutes.pdf`` that is an HTML page), or that also
  carries web-page code (an HTML+PDF "polyglot" a browser could run);
- PDFs that are encrypted, damaged, or carry scripts, launch or submit actions, attached or
  embedded files, multimedia or XFA forms, found by walking every object pypdf reaches (so a
  name hidden in a compressed object stream or spelt with ``#xx`` escapes is still seen) and by
  a scan of the raw bytes (for what a viewer might recover from a broken file);
- Word and OpenDocument files with macros, ActiveX or embedded OLE objects, external templates,
  or that unpack to more than ``ZIP_MAX_BYTES`` (a zip bomb);
- images that Pillow cannot read as the format their name says.

Older Word (.doc) and RTF files are not accepted: both can hide macros or embedded objects that
cannot be checked reliably; people are asked to save as PDF or .docx instead.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Kind:
    """A kind of file we accept: what people call it, how it is served, how it starts."""

    label: Any  # lazy translation
    content_type: str
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]


PDF = Kind(gettext_lazy("PDF"), "application/pdf", (".pdf",), (b"%PDF-",))
PNG = Kind(gettext_lazy("PNG image"), "image/png", (".png",), (b"\x89PNG\r\n\x1a\n",))
JPEG = Kind(gettext_lazy("JPEG image"), "image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",))
DOCX = Kind(
    gettext_lazy("Word (.docx)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    (b"PK\x03\x04",),
)
ODT = Kind(
    gettext_lazy("OpenDocument text (.odt)"),
    "application/vnd.oasis.opendocument.text",
    (".odt",),
    (b"PK\x03\x04",),
)
TEXT = Kind(gettext_lazy("plain text (.txt)"), "text/plain; charset=utf-8", (".txt",), (b"",))

# What each kind of upload accepts.
PAPERS = (PDF,)
EVIDENCE = (PDF, PNG, JPEG)
DOCUMENTS = (PDF, DOCX, ODT, TEXT)

ZIP_MAX_BYTES = 25 * 1024 * 1024
ZIP_MAX_MEMBERS = 2000
PDF_MAX_OBJECTS = 300_000

# Names that make a PDF run or carry something: actions, scripts, attached or embedded files,
# multimedia and XFA forms. Ordinary links (/URI) and "open at page 1" are fine.
PDF_ACTIVE_NAMES = frozenset(
    {
        "/AA",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/FileAttachment",
        "/GoToE",
        "/GoToR",
        "/ImportData",
        "/JS",
        "/JavaScript",
        "/Launch",
        "/Movie",
        "/Rendition",
        "/RichMedia",
        "/Sound",
        "/SubmitForm",
        "/XFA",
    }
)
# The raw scan looks only for the long names (every action spells one of them): a short one
# like /JS would turn up by chance in a few percent of large image-heavy files.
_PDF_ACTIVE_RAW = re.compile(
    rb"/("
    + b"|".join(name[1:].encode() for name in sorted(PDF_ACTIVE_NAMES) if len(name) > 6)
    + rb")(?=[\s/<>\[\]()%{}]|$)"
)
# Web-page code in a file that should have none: what makes an HTML+PDF (or +image) polyglot.
# Long enough tags that random compressed bytes practically never spell them.
_HTML = re.compile(rb"<(?:script|html|body|iframe|!doctype\s+html)[\s>/]", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: its bytes (store these, not the upload), hash and kind."""

    name: str
    kind: Kind
    content: bytes
    sha256: str
    pages: int | None = None

    @property
    def content_type(self) -> str:
        return self.kind.content_type

    @property
    def extension(self) -> str:
        return self.kind.extensions[0]


def _refuse(message: str, code: str, **values: Any) -> ValidationError:
    return ValidationError(message % values, code=code)


def _described(kinds: tuple[Kind, ...]) -> str:
    labels = [str(kind.label) for kind in kinds]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _read_limited(upload: Any, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes from the start, leaving the file where it was."""
    stream = upload.file if hasattr(upload, "file") else upload
    position = stream.tell() if hasattr(stream, "tell") else 0
    stream.seek(0)
    data = stream.read(limit + 1)
    stream.seek(position)
    return data


def check_upload(upload: Any, *, kinds: tuple[Kind, ...] = EVIDENCE) -> CheckedFile:
    """Return the checked upload, or raise ValidationError saying exactly why not."""
    name = str(getattr(upload, "name", "") or "")
    lower = name.lower()
    kind = next((k for k in kinds if lower.endswith(k.extensions)), None)
    if kind is None:
        if lower.endswith((".doc", ".rtf")) and DOCX in kinds:
            raise _refuse(
                _(
                    "%(name)s: older Word (.doc) and RTF files can hide macros, so we do not "
                    "accept them. Save it as PDF or .docx and upload that."
                ),
                "wrong_type",
                name=name,
            )
        raise _refuse(
            _("%(name)s: only %(described)s files can be uploaded."),
            "wrong_type",
            name=name,
            described=_described(kinds),
        )
    limit = int(settings.UPLOAD_MAX_BYTES)
    content = _read_limited(upload, limit)
    if not content:
        raise _refuse(_("%(name)s is empty."), "empty", name=name)
    if len(content) > limit:
        size = getattr(upload, "size", None) or len(content)
        raise _refuse(
            _("%(name)s is %(size)s; the largest file accepted is %(limit)s."),
            "too_large",
            name=name,
            size=filesizeformat(max(size, len(content))),
            limit=filesizeformat(limit),
        )
    if not content.startswith(kind.magic):
        raise _refuse(
            _(
                "%(name)s is not really a %(kind)s file: its contents do not match its name. "
                "Upload the original document."
            ),
            "lying_extension",
            name=name,
            kind=kind.label,
        )
    if _HTML.search(content):
        raise _refuse(
            _(
                "%(name)s also contains web-page code, which a browser could run, so we do not "
                "accept it. Save or print it to a new file and upload that."
            ),
            "polyglot",
            name=name,
        )
    pages = _CHECKS[kind](content, name)
    return CheckedFile(
        name=name,
        kind=kind,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
    )


# --- PDF ------------------------------------------------------------------------------------


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


def _pdf_active_name(reader: Any) -> str | None:
    """The first active name found walking every object reachable from the trailer."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            for key, value in dict.items(item):
                if key in PDF_ACTIVE_NAMES:
                    return str(key)
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
        elif isinstance(item, NameObject) and item in PDF_ACTIVE_NAMES:
            return str(item)
    return None


def _check_pdf(content: bytes, name: str) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = read_pdf_pages(content)
    except ValueError as exc:
        if str(exc) == "encrypted":
            raise _refuse(
                _("%(name)s is password-protected; upload a copy without a password."),
                "encrypted",
                name=name,
            ) from exc
        raise _refuse(
            _("%(name)s is damaged and cannot be read as a PDF. Export it again and retry."),
            "damaged",
            name=name,
        ) from exc
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        active = _pdf_active_name(reader) or ("attachments" if _has_attachments(reader) else None)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        active = "unreadable objects"
    if active or _PDF_ACTIVE_RAW.search(content):
        raise _refuse(
            _(
                "%(name)s contains scripts, actions, attached files or other active content, "
                "which we do not accept. Print it to a new PDF (or export it again without "
                "forms and attachments) and upload that."
            ),
            "active_content",
            name=name,
        )
    return pages


def _has_attachments(reader: Any) -> bool:
    try:
        return bool(reader.attachments)
    except Exception:  # a damaged name tree: treat as suspicious
        return True


# --- Images ---------------------------------------------------------------------------------


def _check_image(expected: str) -> Any:
    def check(content: bytes, name: str) -> None:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                if image.format == expected:
                    return
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
        ):
            pass
        raise _refuse(
            _("%(name)s is damaged and cannot be read as an image. Save it again and retry."),
            "damaged",
            name=name,
        )

    return check


# --- Word and OpenDocument (zip containers) -------------------------------------------------


def open_zip(content: bytes, name: str, *, max_bytes: int = ZIP_MAX_BYTES) -> zipfile.ZipFile:
    """The zip container of a .docx or .odt, refused if it would unpack to more than
    ``max_bytes`` or has more than ``ZIP_MAX_MEMBERS`` parts. Python's zipfile never unpacks
    more than a part's declared size (a part that lies fails its checksum), so the declared
    sizes bound what any reader of this container can be made to unpack."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise _refuse(
            _("%(name)s is damaged and cannot be opened. Save it again and retry."),
            "damaged",
            name=name,
        ) from exc
    unpacked = sum(member.file_size for member in members)
    if len(members) > ZIP_MAX_MEMBERS or unpacked > max_bytes:
        raise _refuse(
            _(
                "%(name)s would unpack to %(size)s, more than the %(limit)s we accept; a "
                "document this size is usually padded or damaged. Save a fresh copy and retry."
            ),
            "too_large_unpacked",
            name=name,
            size=filesizeformat(unpacked),
            limit=filesizeformat(max_bytes),
        )
    return archive


def _read_part(archive: zipfile.ZipFile, part: str) -> bytes:
    return archive.read(part) if part in archive.namelist() else b""


def _external_targets(archive: zipfile.ZipFile) -> bool:
    """A relationship to something outside the file other than a plain hyperlink: a remote
    template or object that Word fetches (and may run) when the document is opened."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for part in archive.namelist():
        if not part.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(archive.read(part), parser)
        except etree.XMLSyntaxError:
            return True
        for relation in root:
            if relation.get("TargetMode") == "External" and not str(
                relation.get("Type", "")
            ).endswith("/hyperlink"):
                return True
    return False


def _active_office_content(name: str) -> ValidationError:
    return _refuse(
        _(
            "%(name)s contains macros, embedded objects or links to outside templates, which we "
            "do not accept. Save it as a plain .docx (or PDF) and upload that."
        ),
        "active_content",
        name=name,
    )


def _check_docx(content: bytes, name: str) -> None:
    archive = open_zip(content, name)
    parts = archive.namelist()
    if "[Content_Types].xml" not in parts or "word/document.xml" not in parts:
        raise _refuse(
            _("%(name)s is not really a Word (.docx) file. Upload the original document."),
            "lying_extension",
            name=name,
        )
    types = _read_part(archive, "[Content_Types].xml").lower()
    risky_part = any(
        part.lower().endswith(("vbaproject.bin", "vbadata.xml"))
        or part.lower().startswith(("word/activex/", "word/embeddings/"))
        for part in parts
    )
    if risky_part or b"macroenabled" in types or b"vbaproject" in types:
        raise _active_office_content(name)
    if _external_targets(archive):
        raise _active_office_content(name)


def _check_odt(content: bytes, name: str) -> None:
    archive = open_zip(content, name)
    parts = archive.namelist()
    if _read_part(archive, "mimetype").strip() != ODT.content_type.encode() or (
        "content.xml" not in parts
    ):
        raise _refuse(
            _("%(name)s is not really an OpenDocument text file. Upload the original document."),
            "lying_extension",
            name=name,
        )
    if any(part.startswith(("Basic/", "Scripts/")) or part.endswith(".bin") for part in parts):
        raise _active_office_content(name)


def _check_text(content: bytes, name: str) -> None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise _refuse(
            _("%(name)s is not a plain text file. Upload the original document."),
            "lying_extension",
            name=name,
        )


_CHECKS = {
    PDF: _check_pdf,
    PNG: _check_image("PNG"),
    JPEG: _check_image("JPEG"),
    DOCX: _check_docx,
    ODT: _check_odt,
    TEXT: _check_text,
}


# --- Serving --------------------------------------------------------------------------------


def upload_response(handle: Any, *, filename: str, content_type: str) -> FileResponse:
    """An uploaded file, always as a download: a browser never shows someone else's upload in
    the page (only our own PDFs, laid out from escaped templates, are served inline)."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
