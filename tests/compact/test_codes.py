"""The codes of practice register: the seed import, commitments in the code's order, versions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compact.demo import DEMO_DATA_DIR
from compact.models import CodeOfPractice, Commitment
from compact.selectors import code_of_conduct_current, commitments_by_party
from compact.services.codes_import import (
    CODE_OF_CONDUCT_SLUG,
    PARTNERSHIP_CODE_SLUG,
    import_partnership_code,
    parse_partnership_code,
)
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
    assert version.text.startswith("This Code of Conduct outlines the role")
    assert "- Have a mandate from the appropriate VAMT Forum/network" in version.text
    # The paper form's signature lines give way to the electronic signature.
    assert "Appendix 1" not in version.text and "Signed" not in version.text


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
    assert "v.pdf is not really a PDF file" in refused.content.decode()
    assert not entry.versions.filter(label="3").exists()


def test_register_list_costs_a_fixed_number_of_queries(
    code, client_for, django_assert_max_num_queries
):
    client = client_for("officer")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("compact:code_list"))
    assert "Partnership Working Code of Practice" in response.content.decode()


def test_officer_adds_edits_and_deletes_a_commitment_in_the_browser(code, world, client_for):
    client = client_for("officer")
    detail = reverse("compact:code_detail", kwargs={"slug": PARTNERSHIP_CODE_SLUG})
    assert "Add a commitment" in client.get(detail).content.decode()
    response = client.post(
        reverse("compact:commitment_add", kwargs={"slug": PARTNERSHIP_CODE_SLUG}),
        {"party": "third", "number": 4, "text": "Share <b>learning</b> with the forum."},
    )
    added = Commitment.objects.get(code=code, party="third", number=4)
    assert response["Location"].endswith(f"#commitment-{added.pk}")
    page = client.get(detail).content.decode()
    assert "Share &lt;b&gt;learning&lt;/b&gt; with the forum." in page

    response = client.post(
        reverse("compact:commitment_edit", kwargs={"pk": added.pk}),
        {"party": "third", "number": 4, "text": "Share learning.", "reason": "Board, March 2009"},
    )
    assert response.status_code == 302
    latest = added.history.order_by("-history_date").first()
    assert (latest.text, latest.history_change_reason) == ("Share learning.", "Board, March 2009")
    assert latest.history_user == world.users["officer"]

    response = client.post(reverse("compact:commitment_delete", kwargs={"pk": added.pk}), {})
    assert response.status_code == 302
    assert not Commitment.objects.filter(pk=added.pk).exists()
    assert added.history.filter(history_type="-").exists()


def test_a_second_commitment_with_the_same_number_is_refused(code, client_for):
    before = Commitment.objects.count()
    response = client_for("officer").post(
        reverse("compact:commitment_add", kwargs={"slug": PARTNERSHIP_CODE_SLUG}),
        {"party": "all", "number": 2, "text": "A second number 2"},
    )
    assert response.status_code == 200
    assert "This party already has a commitment with this number." in response.content.decode()
    assert Commitment.objects.count() == before


def test_a_cited_commitment_cannot_be_deleted(code, world, client_for):
    from tests.partnerships.factories import make_check, make_partnership

    commitment = Commitment.objects.get(code=code, party="all", number=2)
    partnership = make_partnership(world.compact)
    make_check(partnership, commitment, "met")
    response = client_for("officer").post(
        reverse("compact:commitment_delete", kwargs={"pk": commitment.pk}), {"reason": "Old"}
    )
    assert response.status_code == 400
    assert "All parties 2 is cited by 1 compliance check, so it stays in the register." in (
        response.content.decode()
    )
    assert Commitment.objects.filter(pk=commitment.pk).exists()


def test_only_officers_change_commitments(code, world):
    from django.core.exceptions import PermissionDenied

    from compact.services.codes import commitment_save

    commitment = Commitment.objects.get(code=code, party="all", number=2)
    with pytest.raises(PermissionDenied):
        commitment_save(
            commitment=commitment,
            party="all",
            number=2,
            text="Changed",
            actor=world.users["board"],
        )
    commitment.refresh_from_db()
    assert commitment.text != "Changed"
