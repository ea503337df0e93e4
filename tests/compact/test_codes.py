"""The codes of practice register: the seed import, commitments in the code's order, versions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compact.codes_import import (
    CODE_OF_CONDUCT_SLUG,
    PARTNERSHIP_CODE_SLUG,
    import_partnership_code,
    parse_partnership_code,
)
from compact.demo import DEMO_DATA_DIR
from compact.models import CodeOfPractice, Commitment
from compact.selectors import code_of_conduct_current, commitments_by_party
from tests.compact.factories import pdf_upload

SEED = DEMO_DATA_DIR / "partnership-working-code-of-practice.txt"


@pytest.fixture
def code(world) -> CodeOfPractice:
    return import_partnership_code(compact=world.compact, path=SEED, owner_body=world.board)


def test_seed_parses_into_numbered_commitments_for_each_party():
    parsed = parse_partnership_code(SEED.read_text(encoding="utf-8"))
    counts = {}
    for party, number, _text, _line in parsed.commitments:
        counts[party] = number
    assert counts == {"all": 9, "public": 7, "vamt": 6, "third": 3}
    first = parsed.commitments[0]
    assert first[2].startswith("Contribute to creating a positive environment")


def test_commitments_are_listed_in_the_codes_order_not_alphabetically(code, client_for):
    parties = [label for label, _items in commitments_by_party(code)]
    assert parties == [
        "All parties",
        "Public sector organisations",
        "VAMT on behalf of the third sector",
        "Third sector organisations",
    ]
    page = (
        client_for("representative")
        .get(reverse("compact:code_detail", kwargs={"slug": PARTNERSHIP_CODE_SLUG}))
        .content.decode()
    )
    positions = [page.index(label) for label in parties]
    assert positions == sorted(positions)
    assert "Make explicit mention of this code in appropriate documents" in page


def test_supporting_documents_become_register_entries_with_their_status(code):
    statuses = dict(CodeOfPractice.objects.values_list("title", "status"))
    assert (
        statuses["Code of Practice on Funding, Procurement and Commissioning"] == "to_be_developed"
    )
    assert statuses["Code of Practice on Third Sector Governance"] == "to_be_developed"
    assert statuses["Mediation and Disputes Resolution Process"] == "agreed"
    assert CodeOfPractice.objects.get(slug=CODE_OF_CONDUCT_SLUG).kind == "code_of_conduct"


def test_code_of_conduct_current_gives_the_appendix_2_text(code):
    conduct, version = code_of_conduct_current()
    assert conduct.slug == CODE_OF_CONDUCT_SLUG and version.label == "1"
    assert version.text.startswith("Third Sector Representatives Code of Conduct and Agreement")
    assert "Have a mandate from the appropriate VAMT Forum/network" in version.text
    assert "Appendix 1" not in version.text


def test_import_twice_changes_nothing(code, world):
    before = (
        CodeOfPractice.objects.count(),
        Commitment.objects.count(),
        Commitment.history.count(),
    )
    import_partnership_code(compact=world.compact, path=SEED, owner_body=world.board)
    after = (CodeOfPractice.objects.count(), Commitment.objects.count(), Commitment.history.count())
    assert before == after == (before[0], 25, 25)


def test_a_gap_in_the_numbering_is_refused_with_its_line(tmp_path, world):
    broken = SEED.read_text(encoding="utf-8").replace(
        "3. Engage communities", "4. Engage communities"
    )
    with pytest.raises(ValidationError, match=r"Line \d+: expected commitment 3, found 4"):
        parse_partnership_code(broken)


def test_officer_edits_status_and_adds_a_pdf_version(code, client_for):
    client = client_for("officer")
    slug = "code-of-practice-on-volunteering"
    response = client.post(
        reverse("compact:code_edit", kwargs={"slug": slug}),
        {
            "title": "Code of Practice on Volunteering",
            "kind": "code",
            "status": "under_review",
            "review_date": "2010-04-01",
            "summary": "",
        },
    )
    assert response.status_code == 302
    entry = CodeOfPractice.objects.get(slug=slug)
    assert (entry.status, entry.review_date) == ("under_review", datetime.date(2010, 4, 1))
    response = client.post(
        reverse("compact:code_version_add", kwargs={"slug": slug}),
        {"label": "2", "date": "2009-06-01", "file": pdf_upload("volunteering.pdf"), "text": ""},
    )
    assert response.status_code == 302
    version = entry.versions.get(label="2")
    assert len(version.file_sha256) == 64
    refused = client.post(
        reverse("compact:code_version_add", kwargs={"slug": slug}),
        {"label": "3", "date": "2009-06-01", "file": pdf_upload("v.pdf", b"not a pdf"), "text": ""},
    )
    assert "is named .pdf but is not a PDF" in refused.content.decode()
    assert not entry.versions.filter(label="3").exists()


def test_register_list_costs_a_fixed_number_of_queries(
    code, client_for, django_assert_max_num_queries
):
    client = client_for("officer")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("compact:code_list"))
    assert "Partnership Working Code of Practice" in response.content.decode()
