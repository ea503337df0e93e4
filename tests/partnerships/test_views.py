"""Pages of the register: who edits, who reads, what the public sees, and fixed query counts."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate

from compact.papers import PaperProvider
from compact.platform import registry
from partnerships import hooks
from partnerships.models import ComplianceCheck, Partnership, ThirdSectorPlace
from tests.background_files import fetch_generated
from tests.compact.factories import OrganisationFactory, PersonFactory
from tests.partnerships.factories import (
    code_commitments,
    make_check,
    make_partnership,
    make_place,
    publish,
)
from tests.queries import request_queries


@pytest.fixture
def holders() -> Iterator[dict[int, list[tuple[str, str]]]]:
    """Plays the representatives app: who holds which place (one query-free lookup)."""
    held: dict[int, list[tuple[str, str]]] = {}
    source = hooks.PlaceHolderSource(
        key="test",
        count=lambda ids: {i: len(held.get(i, [])) for i in ids},
        names=lambda ids: {i: held.get(i, []) for i in ids},
    )
    with registry.overridden(source, only=True):
        yield held


def _register(world: Any, count: int) -> None:
    commitments = list(code_commitments(world.compact).values())
    for index in range(count):
        partnership = make_partnership(
            world.compact, f"Partnership {index:02d}", lead_body=world.public_org
        )
        make_place(partnership, number_of_places=2)
        make_place(partnership, kind=ThirdSectorPlace.Kind.VAMT_STAFF)
        for commitment in commitments[: index % 4]:
            make_check(partnership, commitment, ComplianceCheck.Status.MET)


def test_officer_adds_a_partnership_and_a_place(world: Any, client_for: Any) -> None:
    client = client_for("officer")
    response = client.post(
        reverse("partnerships:create"),
        {
            "name": "Older People's Commissioning Group",
            "type": "planning",
            "lead_body": world.public_org.pk,
            "coverage": "county",
            "status": "active",
            "published": "on",
        },
    )
    partnership = Partnership.objects.get(name="Older People's Commissioning Group")
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    response = client.post(
        reverse("partnerships:place_add", args=[partnership.slug]),
        {"kind": "vamt_staff", "number_of_places": 1, "title": "VAMT staff"},
    )
    assert response.status_code == 302
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "VAMT staff" in page
    assert "1 vacant" in page


def test_regional_form_without_cvcs_shows_the_rule(world: Any, client_for: Any) -> None:
    response = client_for("officer").post(
        reverse("partnerships:create"),
        {"name": "Regional", "type": "strategic", "coverage": "regional", "status": "active"},
    )
    assert response.status_code == 200
    assert "must name the County Voluntary Councils" in response.content.decode()
    assert not Partnership.objects.exists()


def test_edit_form_does_not_offer_descendants_as_parent(world: Any, client_for: Any) -> None:
    strategy = make_partnership(world.compact, "Strategy")
    theme = make_partnership(world.compact, "Theme", type="sub_group", parent=strategy)
    response = client_for("officer").get(reverse("partnerships:edit", args=[strategy.slug]))
    parent_choices = [
        str(choice[1]) for choice in response.context["form"].fields["parent"].choices
    ]
    assert theme.name not in parent_choices
    assert strategy.name not in parent_choices


def test_board_member_reads_but_cannot_edit(world: Any, client_for: Any) -> None:
    partnership = make_partnership(world.compact, "Strategy")
    client = client_for("board")
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Strategy" in page
    assert "Edit details" not in page
    response = client.post(
        reverse("partnerships:edit", args=[partnership.slug]),
        {"name": "Renamed", "type": "strategic", "coverage": "county", "status": "active"},
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.name == "Strategy"


def test_contact_details_only_for_officers_and_administrators(world: Any, client_for: Any) -> None:
    contact = PersonFactory(
        full_name="Julie Stevens", email="julie@example.org", phone="01685 725000"
    )
    partnership = make_partnership(world.compact, "Strategy", contact=contact)
    for role, sees in [
        ("officer", True),
        ("administrator", True),
        ("board", False),
        ("representative", False),
    ]:
        page = client_for(role).get(partnership.get_absolute_url()).content.decode()
        assert "Julie Stevens" in page
        assert ("julie@example.org" in page) is sees, role
        assert ("01685 725000" in page) is sees, role


def test_public_page_shows_names_and_organisations_but_no_contact_details(
    world: Any, client_for: Any, holders: Any
) -> None:
    contact = PersonFactory(full_name="Bryn Owen", email="bryn@example.org", phone="01685 111111")
    board = make_partnership(world.compact, "Local Service Board", contact=contact)
    place = make_place(board, number_of_places=2)
    holders[place.pk] = [("Rhian Pritchard", "Gurnos Community Group")]
    make_partnership(world.compact, "Hidden Group", published=False)
    make_partnership(world.compact, "Old Group", status=Partnership.Status.CLOSED)
    publish(world.compact)
    page = client_for("anonymous").get(reverse("partnerships:public")).content.decode()
    assert "Local Service Board" in page
    assert "Rhian Pritchard, Gurnos Community Group" in page
    assert "1 place vacant" in page
    assert "Hidden Group" not in page
    assert "Old Group" not in page
    for private in ("bryn@example.org", "01685 111111", "Bryn Owen", "@example.org"):
        assert private not in page


def test_public_page_is_empty_until_the_compact_publishes(world: Any, client_for: Any) -> None:
    make_partnership(world.compact, "Local Service Board")
    page = client_for("anonymous").get(reverse("partnerships:public")).content.decode()
    assert "has not published" in page
    assert "Local Service Board" not in page
    client_for("officer").post(reverse("partnerships:settings"), {"publish_public_register": "on"})
    page = client_for("anonymous").get(reverse("partnerships:public")).content.decode()
    assert "Local Service Board" in page


def test_vacancies_come_from_the_registered_holder_counter(
    world: Any, client_for: Any, holders: Any
) -> None:
    full = make_partnership(world.compact, "Full Board")
    holders[make_place(full, number_of_places=1).pk] = [("A", "B")]
    gaps = make_partnership(world.compact, "Board With Gaps")
    make_place(gaps, number_of_places=3)
    page = (
        client_for("representative")
        .get(reverse("partnerships:list") + "?has_vacancies=on")
        .content.decode()
    )
    assert "Board With Gaps" in page
    assert "3 vacant" in page
    assert "Full Board" not in page


def test_filters_by_type_lead_status_and_non_compliance(world: Any, client_for: Any) -> None:
    commitments = code_commitments(world.compact)
    other_lead = OrganisationFactory(name="Health Board", sector="public")
    failing = make_partnership(world.compact, "Failing Group", lead_body=world.public_org)
    make_check(failing, commitments[("all", 2)], ComplianceCheck.Status.NOT_MET)
    passing = make_partnership(world.compact, "Passing Group", lead_body=other_lead)
    make_check(passing, commitments[("all", 2)], ComplianceCheck.Status.MET)
    make_partnership(world.compact, "Dormant Forum", type="forum", status="dormant")
    client = client_for("board")

    def names(query: str) -> list[str]:
        response = client.get(reverse("partnerships:list") + query)
        return [row.partnership.name for row in response.context["rows"]]

    assert names("?non_compliant=on") == ["Failing Group"]
    assert names(f"?lead_body={other_lead.pk}") == ["Passing Group"]
    assert names("?type=forum") == ["Dormant Forum"]
    assert names("?status=dormant") == ["Dormant Forum"]
    assert names("?search=passing") == ["Passing Group"]


def test_register_list_query_count_is_fixed(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    _register(world, 30)
    client = client_for("board")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partnerships:list"))
    assert len(response.context["rows"]) == 30


def test_matrix_query_count_is_the_same_for_3_and_30_partnerships(
    world: Any, client_for: Any
) -> None:
    client = client_for("board")
    _register(world, 3)
    client.get(reverse("partnerships:matrix"))  # warm the session
    with request_queries() as small:
        response = client.get(reverse("partnerships:matrix"))
    assert len(response.context["matrix"].rows) == 3
    Partnership.objects.all().delete()
    _register(world, 30)
    with request_queries() as large:
        response = client.get(reverse("partnerships:matrix"))
    assert len(response.context["matrix"].rows) == 30
    assert len(small.captured_queries) == len(large.captured_queries) <= 8


def test_board_member_sees_checklist_in_matrix_and_csv(world: Any, client_for: Any) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Local Service Board")
    make_check(
        partnership,
        commitments[("public", 3)],
        ComplianceCheck.Status.NOT_MET,
        checked_on=datetime.date(2009, 2, 1),
    )
    client = client_for("board")
    page = client.get(reverse("partnerships:matrix")).content.decode()
    assert "Public sector organisations 3" in page
    assert "Not met" in page
    csv_text = client.get(reverse("partnerships:matrix_csv")).content.decode()
    header, row = csv_text.splitlines()[:2]
    assert "All parties 2 - Terms of reference mention the code" in header
    assert row.startswith("Local Service Board,Statutory / strategic partnership,Active")
    assert "Not met (2009-02-01)" in row


def test_matrix_paper_renders_as_pdf_for_board_packs(world: Any) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Gurnos Forum")
    make_check(partnership, commitments[("all", 6)], ComplianceCheck.Status.PARTLY)
    provider = registry.get(PaperProvider, "partnerships.compliance_matrix")
    assert provider is not None
    assert [option.value for option in provider.options()] == ["latest"]
    before = provider.fingerprint("latest", localdate())
    paper = provider.render("latest", localdate())
    with pdfplumber.open(io.BytesIO(paper.pdf)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "compliance matrix" in text
    assert "Gurnos Forum" in text
    assert "Partly met" in text
    make_check(partnership, commitments[("all", 2)], ComplianceCheck.Status.MET)
    assert provider.fingerprint("latest", localdate()) != before


def test_matrix_pdf_is_made_in_the_background_and_escapes_user_text(
    world: Any, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_partnership(world.compact, "<b>Group</b> & Co", slug="group")
    client = client_for("officer")
    status_url = client.post(reverse("partnerships:matrix_pdf"))["Location"]
    status_page = client.get(status_url).content.decode()
    assert "Compliance matrix (PDF)" in status_page
    assert f"Download compliance-matrix-{timezone.localdate().isoformat()}.pdf" in status_page
    assert f'href="{reverse("partnerships:matrix")}"' in status_page  # back to the matrix
    assert client_for("board").get(status_url).status_code == 404, "only its owner sees it"

    pdf = fetch_generated(client_for("officer"), reverse("partnerships:matrix_pdf"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = document.pages[0].extract_text()
    assert "<b>Group</b> & Co" in text


def test_officer_marks_the_checklist(world: Any, client_for: Any) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Strategy")
    tor = commitments[("all", 2)]
    response = client_for("officer").post(
        reverse("partnerships:checklist", args=[partnership.slug]),
        {f"status_{c.pk}": "not_assessed" for c in commitments.values()}
        | {
            f"status_{tor.pk}": "met",
            f"evidence_{tor.pk}": "ToR para 4",
            f"checked_on_{tor.pk}": "2009-03-01",
        },
    )
    assert response.status_code == 302
    check = ComplianceCheck.objects.get()
    assert (check.commitment, check.status, check.evidence) == (tor, "met", "ToR para 4")


def test_checklist_without_a_date_shows_a_clear_message(world: Any, client_for: Any) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Strategy")
    tor = commitments[("all", 2)]
    response = client_for("officer").post(
        reverse("partnerships:checklist", args=[partnership.slug]),
        {f"status_{c.pk}": "not_assessed" for c in commitments.values()}
        | {f"status_{tor.pk}": "met"},
    )
    assert response.status_code == 200
    assert "Give the date this commitment was checked." in response.content.decode()
    assert not ComplianceCheck.objects.exists()


def test_officer_records_a_review(world: Any, client_for: Any) -> None:
    partnership = make_partnership(world.compact, "Strategy")
    response = client_for("officer").post(
        reverse("partnerships:review_add", args=[partnership.slug]),
        {
            "review_date": "2009-03-12",
            "reviewer": "Compact Officers Group",
            "rating": "mostly",
            "findings": "Papers arrive late.",
            "follow_up_actions": "Agree a deadline.",
            "follow_up_by": "2009-02-01",
        },
    )
    assert "The follow-up date cannot be before the review." in response.content.decode()
    assert not partnership.reviews.exists()


def test_user_text_is_escaped(world: Any, client_for: Any) -> None:
    partnership = make_partnership(world.compact, "Group", purpose="<script>alert(1)</script>")
    page = client_for("board").get(partnership.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_demo_loader_is_idempotent_and_names_the_seed_partnerships(db: Any) -> None:
    from compact.demo import load_demo
    from compact.models import CodeOfPractice, Commitment

    load_demo()
    counts = (
        Partnership.objects.count(),
        ThirdSectorPlace.objects.count(),
        ComplianceCheck.objects.count(),
        Partnership.history.count(),
    )
    load_demo()
    assert counts == (
        Partnership.objects.count(),
        ThirdSectorPlace.objects.count(),
        ComplianceCheck.objects.count(),
        Partnership.history.count(),
    )
    assert CodeOfPractice.objects.filter(slug="partnership-working-code").count() == 1
    assert Commitment.objects.filter(code__slug="partnership-working-code").count() >= 6
    names = set(Partnership.objects.values_list("name", flat=True))
    assert {
        "Merthyr Tydfil Local Service Board",
        "Community Strategy Partnership",
        "Third Sector Leadership Group",
        "Merthyr Tydfil Compact Board",
    } <= names
    regional = Partnership.objects.get(slug="cwm-taf-health-partnership")
    assert [org.short_name for org in regional.other_cvcs.all()] == ["Interlink"]
    assert Partnership.objects.get(slug="healthy-communities-sub-group").parent.slug == (
        "community-strategy-partnership"
    )


def test_dashboard_panel_shows_vacancies_and_gaps(world: Any, client_for: Any) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Strategy")
    make_place(partnership, number_of_places=2)
    make_check(partnership, commitments[("all", 9)], ComplianceCheck.Status.NOT_MET)
    page = client_for("board").get(reverse("home")).content.decode()
    assert "1 active partnership" in page
    assert "2 vacant third-sector places" in page
    assert "1 not fully keeping the code" in page


@pytest.mark.parametrize(
    ("url_name", "role", "limit"),
    [
        ("partnerships:list", "board", 10),
        ("partnerships:public", "anonymous", 5),
        ("partnerships:matrix", "board", 8),
    ],
)
def test_list_pages_cost_the_same_queries_for_3_and_30_partnerships(
    url_name: str, role: str, limit: int, world: Any, client_for: Any, holders: Any
) -> None:
    publish(world.compact)
    client = client_for(role)
    _register(world, 3)
    client.get(reverse(url_name))  # warm the session
    with request_queries() as small:
        client.get(reverse(url_name))
    _register_more = [f"Extra {index}" for index in range(27)]
    for name in _register_more:
        make_place(make_partnership(world.compact, name), number_of_places=1)
    with request_queries() as large:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries) <= limit


def test_detail_page_query_count_does_not_grow_with_places_and_reviews(
    world: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Strategy")
    for _index in range(10):
        make_place(partnership)
    client = client_for("officer")
    with django_assert_max_num_queries(14):
        response = client.get(partnership.get_absolute_url())
    assert len(response.context["detail"].places) == 10


def test_checklist_saved_by_someone_else_meanwhile_is_not_overwritten(
    world: Any, client_for: Any
) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Strategy")
    tor = commitments[("all", 2)]
    client = client_for("officer")
    form = client.get(reverse("partnerships:checklist", args=[partnership.slug])).context["form"]
    opened_at = form.initial["version"]
    make_check(partnership, tor, ComplianceCheck.Status.NOT_MET, evidence="Colleague's finding")
    response = client.post(
        reverse("partnerships:checklist", args=[partnership.slug]),
        {f"status_{c.pk}": "not_assessed" for c in commitments.values()}
        | {"version": opened_at, f"status_{tor.pk}": "met", f"checked_on_{tor.pk}": "2009-03-01"},
    )
    assert "Someone else saved this checklist after you opened it" in response.content.decode()
    assert ComplianceCheck.objects.get().evidence == "Colleague's finding"


def test_the_dashboard_summary_counts_in_the_database_as_the_register_would(
    world: Any, django_assert_num_queries: Any
) -> None:
    from partnerships.selectors import RegisterFilters, register_rows, register_summary

    commitments = code_commitments(world.compact)
    failing = make_partnership(world.compact, "Failing Group")
    make_check(failing, commitments[("all", 2)], ComplianceCheck.Status.PARTLY)
    make_check(failing, commitments[("all", 9)], ComplianceCheck.Status.NOT_MET)
    passing = make_partnership(world.compact, "Passing Group")
    make_check(passing, commitments[("all", 2)], ComplianceCheck.Status.MET)
    make_place(passing, number_of_places=2)
    dormant = make_partnership(world.compact, "Dormant Forum", type="forum", status="dormant")
    make_check(dormant, commitments[("all", 2)], ComplianceCheck.Status.NOT_MET)
    rows = register_rows(RegisterFilters(status=Partnership.Status.ACTIVE))

    with django_assert_num_queries(4):
        summary = register_summary()
    assert summary["active"] == len(rows) == 2
    assert summary["non_compliant"] == sum(row.non_compliant for row in rows) == 1
    assert summary["vacancies"] == sum(row.vacancies for row in rows) == 2
