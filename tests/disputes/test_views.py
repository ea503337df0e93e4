"""Raising a concern and moving it on through the pages, as users do."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from disputes.models import Dispute, DisputeParty
from disputes.procedure import Stage
from tests.compact.factories import UserFactory
from tests.disputes.factories import base_world, dispute_world, pdf_bytes, upload


@pytest.fixture
def dw(world: Any) -> Any:
    return base_world(world)


def test_a_partner_raises_a_concern_about_a_commitment(dw, client) -> None:
    client.force_login(dw.users["raiser"])
    form = client.get(reverse("disputes:raise"))
    assert "Rowena Raiser" in form.content.decode()

    response = client.post(
        reverse("disputes:raise"),
        {
            "subject": "Left off the steering group",
            "concerns": [dw.concerned_org.pk],
            "contacts": [dw.people["contact"].pk],
            "commitment": dw.commitment.pk,
            "what_happened": "They met without us.",
            "outcome_sought": "A seat.",
            "documents": [upload("minutes.pdf", pdf_bytes())],
        },
    )

    dispute = Dispute.objects.get(subject="Left off the steering group")
    assert response.status_code == 302 and response["Location"] == dispute.get_absolute_url()
    assert dispute.stage == Stage.INFORMAL
    assert dispute.raised_by == dw.people["raiser"]
    assert dispute.code == dw.code
    parties = {(p.organisation, p.role) for p in dispute.parties.all()}
    assert parties == {
        (dw.world.third_org, DisputeParty.Role.RAISING),
        (dw.concerned_org, DisputeParty.Role.CONCERNED),
    }
    assert {c.person for c in dispute.contacts.all()} == {
        dw.people["raiser"],
        dw.people["contact"],
    }
    assert dispute.documents.get().original_name == "minutes.pdf"
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert "Informal resolution" in page and "minutes.pdf" in page


def test_a_concern_needs_a_contact_at_each_organisation(dw, client) -> None:
    client.force_login(dw.users["raiser"])
    response = client.post(
        reverse("disputes:raise"),
        {
            "subject": "Two bodies",
            "concerns": [dw.concerned_org.pk, dw.neutral_org.pk],
            "contacts": [dw.people["contact"].pk],
            "commitment": dw.commitment.pk,
            "what_happened": "x",
            "outcome_sought": "y",
        },
    )
    assert response.status_code == 200
    assert "Name at least one contact at TCarers." in response.content.decode()
    assert not Dispute.objects.exists()


def test_a_user_without_an_organisation_is_told_why_they_cannot_raise(world, client) -> None:
    client.force_login(UserFactory(username="loner"))
    response = client.get(reverse("disputes:raise"))
    assert "not linked to a person at a partner organisation" in response.content.decode()


def test_an_officer_refers_to_the_scrutiny_body_and_a_conflicted_panel_is_refused(
    world, client
) -> None:
    dw = dispute_world(world)
    dispute = dw.disputes["mediation"]
    client.force_login(world.users["officer"])
    url = reverse("disputes:move", kwargs={"pk": dispute.pk, "stage": "scrutiny"})

    refused = client.post(url, {"on": "", "reason": "No agreement."})
    assert refused.status_code == 200

    today = dispute.stages.get(ended_on__isnull=True).started_on.isoformat()
    refused = client.post(url, {"on": today, "reason": "No agreement.", "panel": []})
    assert "Choose at least one member of the scrutiny body" in refused.content.decode()

    done = client.post(
        url, {"on": today, "reason": "No agreement.", "panel": [dw.people["panel"].pk]}
    )
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert dispute.stage == Stage.SCRUTINY


def test_moving_back_without_a_reason_shows_the_rule(world, client) -> None:
    dw = dispute_world(world)
    dispute = dw.disputes["scrutiny"]
    client.force_login(world.users["officer"])
    url = reverse("disputes:move", kwargs={"pk": dispute.pk, "stage": "mediation"})
    on = dispute.stages.get(ended_on__isnull=True).started_on.isoformat()

    response = client.post(url, {"on": on, "reason": ""})

    assert "Moving a dispute back to an earlier stage needs a reason." in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.stage == Stage.SCRUTINY


def test_closing_without_an_outcome_shows_the_rule(world, client) -> None:
    dw = dispute_world(world)
    dispute = dw.disputes["scrutiny"]
    client.force_login(dw.users["panel"])
    url = reverse("disputes:move", kwargs={"pk": dispute.pk, "stage": "closed"})
    on = dispute.stages.get(ended_on__isnull=True).started_on.isoformat()

    response = client.post(url, {"on": on, "reason": "Decided.", "closure": "resolved"})

    assert "A dispute cannot be closed without an outcome." in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.stage == Stage.SCRUTINY


def test_user_text_is_escaped_on_the_dispute_page(dw, client) -> None:
    from tests.disputes.factories import raise_dispute

    dispute = raise_dispute(dw, "<script>alert(1)</script>", what_happened="<b>bold</b>")
    client.force_login(dw.users["raiser"])
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_officers_dashboard_flags_overdue_stages(world, client) -> None:
    dw = dispute_world(world)
    client.force_login(world.users["officer"])
    page = client.get(reverse("home")).content.decode()
    assert "Disputes needing attention" in page
    # Raised 60 days ago, informal resolution is due after 28: overdue.
    assert dw.disputes["informal"].reference in page
    assert "Overdue" in page

    client.force_login(world.users["board"])
    assert "Disputes needing attention" not in client.get(reverse("home")).content.decode()


def test_detail_page_costs_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
) -> None:
    dw = dispute_world(world)
    client.force_login(world.users["officer"])
    with django_assert_max_num_queries(25):
        assert client.get(dw.disputes["scrutiny"].get_absolute_url()).status_code == 200


def test_the_raiser_is_offered_withdrawal_only(world, client) -> None:
    dw = dispute_world(world)
    dispute = dw.disputes["informal"]
    url = reverse("disputes:move", kwargs={"pk": dispute.pk, "stage": "closed"})

    client.force_login(dw.users["raiser"])
    raiser_page = client.get(url).content.decode()
    client.force_login(world.users["officer"])
    officer_page = client.get(url).content.decode()

    assert "Withdrawn" in raiser_page and "Not upheld" not in raiser_page
    assert "Withdrawn" in officer_page and "Not upheld" in officer_page


def test_officers_add_and_remove_named_contacts_who_then_lose_sight_of_it(world, client) -> None:
    from compact.models import Person
    from disputes.selectors import disputes_visible_to

    dw = dispute_world(world)
    dispute = dw.disputes["informal"]
    board_person = Person.objects.get(user=world.users["board"])  # works for the concerned org
    client.force_login(world.users["officer"])
    url = reverse("disputes:contacts", kwargs={"pk": dispute.pk})

    assert client.post(url, {"person": board_person.pk}).status_code == 302
    assert dispute in disputes_visible_to(world.users["board"])

    contact = dispute.contacts.get(person=board_person)
    assert client.post(url, {"remove": contact.pk}).status_code == 302
    assert dispute not in disputes_visible_to(world.users["board"])

    last = dispute.contacts.get(person=dw.people["contact"])
    refused = client.post(url, {"remove": last.pk})
    assert "must keep at least one named contact" in refused.content.decode()
    assert dispute.contacts.filter(pk=last.pk).exists()


def test_a_panel_member_declares_an_interest_and_leaves_the_panel(world, client) -> None:
    dw = dispute_world(world)
    dispute = dw.disputes["scrutiny"]
    client.force_login(dw.users["panel"])
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert (
        "Record a declared interest" in page
        and "Colin Contact" not in page.split("Record a declared interest")[1].split("</form>")[0]
    )

    response = client.post(
        reverse("disputes:interest_add", kwargs={"pk": dispute.pk}),
        {"person": dw.people["panel"].pk, "interest": "I volunteer for the council's group."},
    )

    assert response["Location"] == reverse("disputes:list")
    assert not dispute.panel.exists()
    assert client.get(dispute.get_absolute_url()).status_code == 404
    other = client.post(
        reverse("disputes:interest_add", kwargs={"pk": dw.disputes["informal"].pk}),
        {"person": dw.people["contact"].pk, "interest": "x"},
    )
    assert other.status_code == 404
