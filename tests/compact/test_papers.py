"""Papers: uploads are checked (PDF only, size, really readable), written and generated papers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compact.models import AgendaItem, Paper
from compact.services.meetings import agenda_item_add, paper_generate, paper_upload
from tests.compact.factories import ReportProvider, make_meeting, pdf_upload, tiny_pdf


@pytest.fixture
def item(world) -> AgendaItem:
    return agenda_item_add(meeting=make_meeting(world.board), title="Funding code")


def _upload_through_page(client_for, item, upload):
    client = client_for("officer")
    url = reverse("compact:paper_add", kwargs={"pk": item.pk, "kind": "upload"})
    return client.post(url, {"title": "", "file": upload})


def test_officer_uploads_a_real_pdf_and_its_hash_is_kept(item, client_for):
    response = _upload_through_page(client_for, item, pdf_upload("Funding code draft.pdf"))
    assert response.status_code == 302
    paper = item.papers.get()
    assert (paper.kind, paper.title) == (Paper.Kind.UPLOAD, "Funding code draft")
    assert len(paper.file_sha256) == 64
    assert paper.file.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.docx", b"PK\x03\x04 word document", "only PDF files can be uploaded"),
        ("minutes.pdf", b"PK\x03\x04 a Word file renamed", "is not really a PDF file"),
        ("minutes.pdf", b"%PDF-1.4\n1 0 obj <<garbage", "is damaged and cannot be read"),
    ],
    ids=["not-pdf", "lying-extension", "broken-pdf"],
)
def test_bad_upload_is_refused_with_a_clear_message_and_nothing_saved(
    item, client_for, name, content, message
):
    response = _upload_through_page(client_for, item, pdf_upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert item.papers.count() == 0


def test_oversized_upload_is_refused(item, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = _upload_through_page(
        client_for, item, pdf_upload("big.pdf", tiny_pdf() + b" " * 2000)
    )
    assert "the largest file accepted is 1000\xa0bytes" in response.content.decode()
    assert item.papers.count() == 0


def test_service_refuses_broken_pdf_on_the_file_field(item):
    with pytest.raises(ValidationError) as refused:
        paper_upload(item=item, upload=pdf_upload("x.pdf", b"%PDF-1.7\n%%EOF"))
    assert "file" in refused.value.error_dict


def test_generated_paper_from_a_provider_registered_by_an_app(item):
    with ReportProvider(key="tests.plan", label="Plan update") as provider:
        paper = paper_generate(item=item, provider_key="tests.plan", value="2")
        assert paper.title == "Plan update (Edition 2)"
        with pytest.raises(ValidationError, match=r"has no version 9"):
            paper_generate(item=item, provider_key="tests.plan", value="9")
    assert provider.renders == 0  # adding a paper renders nothing
    with pytest.raises(ValidationError, match=r"no report called tests\.gone"):
        paper_generate(item=item, provider_key="tests.gone", value="latest")


def test_generated_paper_form_offers_every_registered_provider_and_latest(item, client_for):
    with ReportProvider(key="tests.plan", label="Plan update"):
        client = client_for("officer")
        url = reverse("compact:paper_add", kwargs={"pk": item.pk, "kind": "generated"})
        page = client.get(url).content.decode()
        assert "Plan update - latest" in page and "Edition 2" in page
        response = client.post(url, {"paper": "tests.plan|latest"})
    assert response.status_code == 302
    assert item.papers.get().provider_value == "latest"


def test_written_paper_is_viewable_as_pdf_by_a_member(item, client_for):
    client = client_for("officer")
    client.post(
        reverse("compact:paper_add", kwargs={"pk": item.pk, "kind": "write"}),
        {"title": "WAG digest", "text": "<script>alert(1)</script> New guidance"},
    )
    paper = item.papers.get()
    response = client_for("board").get(reverse("compact:paper_view", kwargs={"pk": paper.pk}))
    assert response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "<script>alert(1)</script> New guidance" in text  # escaped, shown as text
