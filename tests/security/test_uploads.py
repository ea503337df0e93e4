"""Every upload (board papers, code versions, terms of reference, dispute evidence) goes through
the one check in compact.platform.uploads: wrong types, lying names, oversized or empty files,
PDFs that carry scripts or actions however hidden, HTML+PDF polyglots and Word files with
macros are refused with a message naming the file; real documents pass. Uploads are served as
downloads."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from compact.models import CodeDocumentVersion, CodeOfPractice, Paper
from compact.platform.pdf import html_to_pdf
from compact.platform.uploads import DOCUMENTS, EVIDENCE, PAPERS, CheckedFile, check_upload
from compact.services.meetings import agenda_item_add, paper_write
from disputes.models import SupportingDocument
from partnerships.models import Partnership
from tests.compact.factories import make_meeting
from tests.disputes.factories import dispute_world
from tests.partnerships.factories import make_partnership
from tests.security import files

pytestmark = pytest.mark.security


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    return html_to_pdf("<h1>Minutes of the Compact Board</h1>")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(name: str, content: bytes, kinds: Any = EVIDENCE) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        check_upload(upload(name, content), kinds=kinds)
    return raised.value


# --- the check itself ------------------------------------------------------------------------


def test_real_documents_of_every_accepted_kind_pass(real_pdf: bytes) -> None:
    accepted = [
        ("minutes.PDF", real_pdf, EVIDENCE, "application/pdf"),
        ("linked.pdf", files.plain_pdf(), PAPERS, "application/pdf"),
        ("photo.png", files.png_bytes(), EVIDENCE, "image/png"),
        ("photo.jpeg", files.jpeg_bytes(), EVIDENCE, "image/jpeg"),
        ("terms.docx", files.docx_bytes("Purpose", "Membership"), DOCUMENTS, "wordprocessingml"),
        ("terms.odt", files.odt_bytes(), DOCUMENTS, "opendocument.text"),
        ("terms.txt", "Cylch gorchwyl – terms\n".encode(), DOCUMENTS, "text/plain"),
    ]
    for name, content, kinds, content_type in accepted:
        checked = check_upload(upload(name, content), kinds=kinds)
        assert isinstance(checked, CheckedFile) and content_type in checked.content_type, name
        assert checked.content == content and len(checked.sha256) == 64
    assert check_upload(upload("minutes.pdf", real_pdf), kinds=PAPERS).pages == 1


def test_a_name_of_another_kind_is_refused_saying_what_is_accepted() -> None:
    error = refusal("minutes.docx", files.docx_bytes(), PAPERS)
    assert error.code == "wrong_type"
    assert error.messages == ["minutes.docx: only PDF files can be uploaded."]
    old_word = refusal("terms.doc", b"\xd0\xcf\x11\xe0 old word", DOCUMENTS)
    assert "older Word (.doc) and RTF files can hide macros" in old_word.messages[0]
    assert refusal("terms.html", b"<p>hi</p>", DOCUMENTS).code == "wrong_type"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.pdf", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b"%PDF-1.4 a pdf named png"),
        ("evidence.jpg", b"MZ\x90\x00 an executable"),
        ("terms.docx", b"%PDF-1.4 a pdf named docx"),
        ("terms.docx", files.odt_bytes()),  # a zip, but not Word
        ("terms.odt", files.docx_bytes()),
        ("terms.txt", b"\x00\x01binary\x00"),
    ],
    # Stable ids (the zips carry the time they were made): parallel workers must collect the
    # same tests.
    ids=[
        "html-as-pdf",
        "pdf-as-png",
        "exe-as-jpg",
        "pdf-as-docx",
        "odt-as-docx",
        "docx-as-odt",
        "binary-as-txt",
    ],
)
def test_contents_that_do_not_match_the_name_are_refused(name: str, content: bytes) -> None:
    error = refusal(name, content, EVIDENCE + DOCUMENTS)
    assert error.code == "lying_extension"
    assert error.messages[0].startswith(name)


def test_html_pdf_polyglots_are_refused() -> None:
    """Before: a PDF header anywhere in the first kilobyte was enough for board papers."""
    assert refusal("agenda.pdf", files.html_then_pdf(), PAPERS).code == "lying_extension"
    error = refusal("agenda.pdf", files.pdf_then_html(), PAPERS)
    assert error.code == "polyglot"
    assert "web-page code" in error.messages[0]
    assert refusal("notes.txt", b"Hello<script>alert(1)</script>", DOCUMENTS).code == "polyglot"


HOSTILE_PDFS: dict[str, Callable[[], bytes]] = {
    "javascript on open": files.javascript_pdf,
    "launch a program": files.launch_pdf,
    "submit a form elsewhere": files.submit_form_pdf,
    "attached file": files.attachment_pdf,
    "script when the page opens": files.page_action_pdf,
    "XFA form": files.xfa_pdf,
    "name spelt with #xx escapes": files.escaped_name_pdf,
    "action inside a compressed object stream": files.object_stream_pdf,
    "script in an object nothing refers to": lambda: (
        files.plain_pdf() + b"\n99 0 obj << /S /JavaScript /JS (app.alert(4)) >> endobj\n"
    ),
}


@pytest.mark.parametrize("made", HOSTILE_PDFS.values(), ids=HOSTILE_PDFS.keys())
def test_pdfs_with_active_content_are_refused(made: Callable[[], bytes]) -> None:
    error = refusal("agenda.pdf", made(), PAPERS)
    assert error.code == "active_content"
    assert error.messages[0].startswith("agenda.pdf contains scripts, actions")


def test_encrypted_damaged_and_empty_files_are_refused(real_pdf: bytes) -> None:
    assert refusal("minutes.pdf", files.encrypted_pdf(), PAPERS).code == "encrypted"
    assert refusal("minutes.pdf", real_pdf[:60], PAPERS).code == "damaged"
    assert refusal("photo.png", files.png_bytes()[:20]).code == "damaged"
    assert refusal("minutes.pdf", b"", PAPERS).messages == ["minutes.pdf is empty."]


def test_word_files_with_macros_or_remote_templates_are_refused() -> None:
    for content in (files.docx_with_macros(), files.docx_with_remote_template()):
        error = refusal("terms.docx", content, DOCUMENTS)
        assert error.code == "active_content"
        assert "macros, embedded objects or links to outside templates" in error.messages[0]
    macro_odt = files.odt_bytes(extra={"Basic/Standard/Module1.xml": b"<script/>"})
    assert refusal("terms.odt", macro_odt, DOCUMENTS).code == "active_content"


def test_a_word_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = files.docx_bomb(megabytes=30)
    assert len(bomb) < 100 * 1024
    error = refusal("terms.docx", bomb, DOCUMENTS)
    assert error.code == "too_large_unpacked"
    assert "would unpack to 30.8" in error.messages[0]


def test_the_size_limit_counts_the_bytes_not_what_the_browser_said(
    settings: Any, real_pdf: bytes
) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    lying = upload("minutes.pdf", real_pdf + b"%" * 2048)
    lying.size = 10  # a client may claim anything
    with pytest.raises(ValidationError) as raised:
        check_upload(lying, kinds=PAPERS)
    assert raised.value.code == "too_large"
    assert "the largest file accepted is 1.0\xa0KB" in raised.value.messages[0]


def test_checking_leaves_the_upload_readable_from_where_it_was(real_pdf: bytes) -> None:
    file = upload("minutes.pdf", real_pdf)
    file.seek(3)
    check_upload(file, kinds=PAPERS)
    assert file.read(2) == b"F-"


# --- every upload path uses it ----------------------------------------------------------------


@pytest.fixture
def paths(world: Any, client_for: Any) -> dict[str, Callable[[Any], tuple[Any, Callable[[], int]]]]:
    """Each way a file gets in, as (response, how many such files are stored)."""
    item = agenda_item_add(meeting=make_meeting(world.board), title="Funding code")
    disputes = dispute_world(world)  # with the Partnership Working Code its disputes cite
    code = CodeOfPractice.objects.get()
    partnership = make_partnership(world.compact, lead_body=world.public_org)

    def paper(file: Any) -> tuple[Any, Callable[[], int]]:
        url = reverse("compact:paper_add", kwargs={"pk": item.pk, "kind": "upload"})
        response = client_for("officer").post(url, {"title": "", "file": file})
        return response, lambda: Paper.objects.filter(kind=Paper.Kind.UPLOAD).count()

    def code_version(file: Any) -> tuple[Any, Callable[[], int]]:
        url = reverse("compact:code_version_add", kwargs={"slug": code.slug})
        data = {"label": "9", "date": "2009-06-01", "file": file, "text": ""}
        response = client_for("officer").post(url, data)
        return response, lambda: CodeDocumentVersion.objects.exclude(file="").count()

    def evidence(file: Any) -> tuple[Any, Callable[[], int]]:
        url = reverse("disputes:document_add", kwargs={"pk": disputes.disputes["informal"].pk})
        client = Client()
        client.force_login(disputes.users["raiser"])
        response = client.post(url, {"documents": [file]})
        return response, lambda: SupportingDocument.objects.filter(original_name=file.name).count()

    def terms(file: Any) -> tuple[Any, Callable[[], int]]:
        response = client_for("officer").post(
            reverse("partnerships:edit", args=[partnership.slug]),
            {**partnership_form(partnership), "terms_of_reference": file},
        )
        return response, lambda: Partnership.objects.exclude(terms_of_reference="").count()

    return {
        "board paper": paper,
        "code version": code_version,
        "evidence": evidence,
        "terms": terms,
    }


def partnership_form(partnership: Partnership) -> dict[str, Any]:
    return {
        "name": partnership.name,
        "type": partnership.type,
        "lead_body": partnership.lead_body_id or "",
        "coverage": partnership.coverage,
        "status": partnership.status,
        "published": "on",
    }


@pytest.mark.parametrize("path", ["board paper", "code version", "evidence", "terms"])
def test_every_upload_path_refuses_active_pdfs_and_polyglots(
    path: str, paths: dict[str, Any]
) -> None:
    send = paths[path]
    for name, content in [
        ("agenda.pdf", files.javascript_pdf()),
        ("launch.pdf", files.launch_pdf()),
        ("hidden.pdf", files.object_stream_pdf()),
        ("page.pdf", files.pdf_then_html()),
    ]:
        response, stored = send(upload(name, content, "application/pdf"))
        assert response.status_code in {200, 400}, (path, name, response.status_code)
        assert name in response.content.decode(), (path, name)
        assert stored() == 0, f"{path} stored {name}"
    response, stored = send(upload("clean.pdf", files.plain_pdf(), "application/pdf"))
    assert response.status_code == 302 and stored() == 1, path


def test_uploads_are_served_as_downloads_and_our_own_pdfs_inline(
    world: Any, paths: dict[str, Any], client_for: Any
) -> None:
    for path in paths.values():
        response, _stored = path(upload("clean.pdf", files.plain_pdf(), "application/pdf"))
        assert response.status_code == 302
    officer = client_for("officer")
    uploaded = Paper.objects.get(kind=Paper.Kind.UPLOAD)
    written = paper_write(item=uploaded.item, title="Chair's note", text="Welcome", actor=None)
    version = CodeDocumentVersion.objects.exclude(file="").get()
    partnership = Partnership.objects.exclude(terms_of_reference="").get()
    downloads = [
        officer.get(reverse("compact:paper_view", args=[uploaded.pk])),
        officer.get(reverse("compact:code_version_view", args=[version.pk])),
        officer.get(reverse("partnerships:terms", args=[partnership.slug])),
    ]
    document = SupportingDocument.objects.get(original_name="clean.pdf")
    client = Client()
    client.force_login(document.uploaded_by)
    downloads.append(
        client.get(
            reverse(
                "disputes:document",
                kwargs={"pk": document.dispute_id, "document_pk": document.pk},
            )
        )
    )
    for response in downloads:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;"), response.request
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
    ours = officer.get(reverse("compact:paper_view", args=[written.pk]))
    assert ours["Content-Disposition"].startswith("inline;")


# --- terms of reference --------------------------------------------------------------------


def multipart_without_content_type(fields: dict[str, Any], name: str, content: bytes) -> bytes:
    """A form post whose file part has no Content-Type line, as some clients send."""
    lines = []
    for key, value in fields.items():
        lines.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        )
    head = "".join(lines) + (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="terms_of_reference"; filename="{name}"\r\n\r\n'
    )
    return head.encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()


BOUNDARY = "compact-boundary-7MA4YWxkTrZu0gW"


def test_terms_of_reference_are_checked_even_without_a_content_type(
    world: Any, client_for: Any, settings: Any
) -> None:
    partnership = make_partnership(world.compact, lead_body=world.public_org)
    url = reverse("partnerships:edit", args=[partnership.slug])
    officer = client_for("officer")
    fields = partnership_form(partnership)
    page = b"<html><body><script>alert(1)</script></body></html>"
    for name, content, message in [
        ("terms.pdf", page, "terms.pdf is not really a PDF file"),
        ("terms.html", page * 220_000, "terms.html: only PDF, Word (.docx)"),  # 11 MB
        ("terms.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "the largest file accepted"),
    ]:
        response = officer.post(
            url,
            multipart_without_content_type(fields, name, content),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
        assert message in response.content.decode(), name
        partnership.refresh_from_db()
        assert not partnership.terms_of_reference, f"{name} was stored"


def test_replacing_or_clearing_the_terms_of_reference_deletes_the_old_file(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    partnership = make_partnership(world.compact, lead_body=world.public_org)
    url = reverse("partnerships:edit", args=[partnership.slug])
    officer = client_for("officer")

    def save(**data: Any) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = officer.post(url, {**partnership_form(partnership), **data})
        assert response.status_code == 302, response.content.decode()[:2000]
        partnership.refresh_from_db()
        return partnership.terms_of_reference.name

    storage = partnership.terms_of_reference.storage
    first = save(terms_of_reference=upload("Terms 2008.pdf", files.plain_pdf()))
    assert first.startswith("partnerships/terms/") and first.endswith(".pdf")
    assert "Terms 2008" not in first  # stored under our own name
    second = save(terms_of_reference=upload("terms.docx", files.docx_bytes("Revised")))
    assert storage.exists(second) and not storage.exists(first)
    assert save(terms_of_reference_date=datetime.date(2009, 1, 1).isoformat()) == second
    assert storage.exists(second)
    assert save(**{"terms_of_reference-clear": "on"}) == ""
    assert not storage.exists(second)


def test_check_uploads_lists_stored_files_that_older_checks_let_in(world: Any) -> None:
    item = agenda_item_add(meeting=make_meeting(world.board), title="Funding code")
    for title, content in [("Clean", files.plain_pdf()), ("Scripted", files.javascript_pdf())]:
        paper = Paper(item=item, kind=Paper.Kind.UPLOAD, title=title)
        paper.file.save(f"{title.lower()}.pdf", ContentFile(content), save=True)
    partnership = make_partnership(world.compact, lead_body=world.public_org)
    partnership.terms_of_reference.save("terms.pdf", ContentFile(b"<html>page</html>"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 stored upload"):
        call_command("check_uploads", stdout=out)
    report = out.getvalue()
    assert "scripted.pdf contains scripts, actions" in report
    assert "terms.pdf is not really a PDF file" in report
    assert "clean.pdf" not in report
    assert "3 stored uploads checked, 2 would be refused today." in report
