"""Code of Conduct signing, declarations of interest, feedback to the sector, the PDFs, the
term-end reminders and the report; and that a representative only ever reaches their own."""

from __future__ import annotations

import csv
import io

import pdfplumber
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from compact.papers import PaperProvider
from compact.platform import registry
from representatives import papers, reminders, services
from representatives.models import Declaration, FeedbackReport, TermEndReminder
from tests.queries import request_queries
from tests.representatives.factories import (
    conduct_version,
    days,
    make_representative,
    network,
    place,
    rep_world,
    round_at,
)


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture
def appointed(world):
    conduct_version(world)
    return round_at(world, "appointed").round.appointments.get()


# --- Code of Conduct ----------------------------------------------------------------------


@pytest.fixture
def register_code(world):
    """The codes register with the Code of Conduct entry (Appendix 2, version "1")."""
    from compact.demo import DEMO_DATA_DIR
    from compact.models import CodeOfPractice
    from compact.services.codes_import import CODE_OF_CONDUCT_SLUG, import_partnership_code

    import_partnership_code(
        compact=world.compact,
        path=DEMO_DATA_DIR / "partnership-working-code-of-practice.txt",
    )
    return CodeOfPractice.objects.get(slug=CODE_OF_CONDUCT_SLUG)


def test_a_published_version_is_listed_in_the_codes_register(world, register_code, client):
    services.conduct_version_publish(
        version="2",
        text="The revised Code of Conduct.",
        effective_on=days(0),
        actor=world.users["administrator"],
    )
    listed = register_code.versions.get(label="2")
    assert listed.text == "The revised Code of Conduct." and listed.date == days(0)
    client.force_login(world.users["board"])
    page = client.get(reverse("compact:code_detail", args=[register_code.slug])).content.decode()
    assert "Published for representatives to sign" in page
    assert "Representatives sign this code." in page
    client.force_login(world.users["officer"])
    page = client.get(reverse("compact:code_detail", args=[register_code.slug])).content.decode()
    assert f'href="{reverse("representatives:conduct_version_new")}"' in page
    assert reverse("compact:code_version_add", args=[register_code.slug]) not in page


def test_the_registers_own_version_is_not_listed_twice(world, register_code):
    first = register_code.versions.get(label="1")
    version = services.conduct_version_publish(
        version="1", text=first.text, effective_on=days(0), actor=world.users["officer"]
    )
    assert version.code == register_code
    assert register_code.versions.filter(label="1").count() == 1


def test_a_version_number_the_register_has_with_other_wording_is_refused(world, register_code):
    from representatives.models import CodeOfConductVersion

    with pytest.raises(ValidationError, match="already has a version 1 of this code"):
        services.conduct_version_publish(
            version="1", text="Other words", effective_on=days(0), actor=world.users["officer"]
        )
    assert not CodeOfConductVersion.objects.exists()
    assert register_code.versions.count() == 1


def test_representative_signs_current_version_with_their_typed_name(world, client, appointed):
    client.force_login(world.users["representative"])
    version = conduct_version(world)
    response = client.post(
        reverse("representatives:conduct_current"),
        {
            "version": version.pk,
            "partnership": appointed.partnership_id,
            "typed_name": "  representative   person ",
            "agree": "on",
        },
    )
    assert response.status_code == 302
    signature = version.signatures.get()
    assert signature.person == appointed.person
    assert signature.organisation_name == "Testshire Voluntary Action"
    assert signature.signed_at is not None


def test_typed_name_must_match_the_full_name(world, client, appointed):
    client.force_login(world.users["representative"])
    version = conduct_version(world)
    response = client.post(
        reverse("representatives:conduct_current"),
        {
            "version": version.pk,
            "partnership": appointed.partnership_id,
            "typed_name": "R. Person",
            "agree": "on",
        },
    )
    assert "Type your full name exactly" in response.content.decode()
    assert not version.signatures.exists()


def test_new_version_asks_everyone_to_sign_again_and_old_version_is_refused(
    world, client, appointed
):
    old = conduct_version(world)
    services.conduct_sign(
        version=old,
        partnership=appointed.partnership,
        typed_name=appointed.person.full_name,
        actor=world.users["representative"],
    )
    from representatives.selectors import unsigned_appointments

    assert unsigned_appointments() == []
    services.conduct_version_publish(
        version="2.0", text="Revised code.", effective_on=days(0), actor=world.users["officer"]
    )
    assert [a.pk for a in unsigned_appointments()] == [appointed.pk]
    old.refresh_from_db()
    with pytest.raises(
        ValidationError, match=r"Version 1\.0 of the Code of Conduct has been replaced by version 2"
    ):
        services.conduct_sign(
            version=old,
            partnership=appointed.partnership,
            typed_name=appointed.person.full_name,
            actor=world.users["representative"],
        )
    client.force_login(world.users["officer"])
    page = client.get(reverse("representatives:conduct_signatures")).content.decode()
    assert "Representative Person" in page.split("Signed the current version")[0]


def test_signing_only_for_a_partnership_where_you_hold_a_place(world):
    version = conduct_version(world)
    elsewhere = place(world, "elsewhere").partnership
    with pytest.raises(ValidationError, match="where you hold a place"):
        services.conduct_sign(
            version=version,
            partnership=elsewhere,
            typed_name="Representative Person",
            actor=world.users["representative"],
        )


def test_signed_agreement_prints_as_pdf_with_the_signature(world, client):
    rw = rep_world(world)
    client.force_login(world.users["representative"])
    response = client.get(reverse("representatives:signature_pdf", kwargs={"pk": rw.signature.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Representative Person" in text
    assert "Version 1.0" in text
    assert rw.appointment.partnership.name in text


# --- The letter to the statutory body -----------------------------------------------------


def test_letter_names_the_representative_and_contact_details(world, client):
    state = round_at(world, "declared")
    client.force_login(world.users["officer"])
    response = client.get(reverse("representatives:round_letter", kwargs={"pk": state.round.pk}))
    text = pdf_text(response.content)
    assert "Representative Person" in text
    assert "representative@example.org" in text
    assert "Health Forum" in text  # the constituency
    assert "uncontested" in text


def test_letter_escapes_user_text(world):
    state = round_at(world, "declared")
    state.round.letter_recipient = "<img src='http://evil.example/x.png'> Chief Executive"
    state.round.save()
    text = pdf_text(papers.round_letter_pdf(state.round))
    assert "<img src='http://evil.example/x.png'> Chief Executive" in text


# --- Declarations -------------------------------------------------------------------------


def test_meeting_item_declaration_needs_partnership_date_and_item(world, appointed):
    with pytest.raises(ValidationError, match="For a meeting item"):
        services.declaration_create(
            kind="meeting_item", interest="My group applied", actor=world.users["representative"]
        )
    declaration = services.declaration_create(
        kind="meeting_item",
        interest="My group applied",
        partnership=appointed.partnership,
        meeting_date=days(-3),
        item="Item 4: grants",
        actor=world.users["representative"],
    )
    assert declaration.person == appointed.person


def test_register_exports_csv_and_neutralises_formulas(world, client, appointed):
    services.declaration_create(
        kind="general", interest='=HYPERLINK("http://x")', actor=world.users["representative"]
    )
    client.force_login(world.users["officer"])
    response = client.get(reverse("representatives:declaration_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Person"
    assert rows[1][0] == "Representative Person"
    assert rows[1][6].startswith("'=")


def test_officers_and_administrators_cannot_declare_for_themselves_as_representatives(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.declaration_create(kind="general", interest="x", actor=world.users["board"])


# --- Feedback and sector issues -----------------------------------------------------------


def test_feedback_is_published_to_a_forum_and_then_frozen(world, appointed):
    report = services.feedback_file(
        appointment=appointed,
        meeting_date=days(-2),
        discussed="Budget",
        issues_raised="Hall hire",
        sector_should_know="Consultation soon",
        actor=world.users["representative"],
    )
    with pytest.raises(ValidationError, match="forum or network"):
        services.feedback_publish(report=report, forum=world.board, actor=world.users["officer"])
    services.feedback_publish(report=report, forum=network(world), actor=world.users["officer"])
    report.refresh_from_db()
    assert report.status == FeedbackReport.Status.PUBLISHED and report.published_to == network(
        world
    )
    with pytest.raises(ValidationError, match="can no longer be edited"):
        services.feedback_update(
            report=report, discussed="Changed", actor=world.users["representative"]
        )


def test_feedback_on_a_future_meeting_is_refused(world, appointed):
    with pytest.raises(ValidationError, match="has happened"):
        services.feedback_file(
            appointment=appointed,
            meeting_date=days(3),
            discussed="x",
            actor=world.users["representative"],
        )


def test_issue_queued_for_the_representative_is_taken_to_the_partnership(world, client, appointed):
    issue = services.sector_issue_queue(
        appointment=appointed, issue="Transport costs", actor=world.users["officer"]
    )
    client.force_login(world.users["representative"])
    assert "Transport costs" in client.get(reverse("representatives:mine")).content.decode()
    client.post(
        reverse("representatives:issue_take", kwargs={"pk": issue.pk}), {"outcome": "Minuted"}
    )
    issue.refresh_from_db()
    assert issue.status == "taken" and issue.outcome == "Minuted"


# --- Another representative's objects -----------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "representatives:declaration_edit",
        "representatives:feedback_detail",
        "representatives:feedback_edit",
        "representatives:signature_detail",
        "representatives:signature_pdf",
        "representatives:appointment_detail",
    ],
)
def test_another_representative_gets_404_for_someone_elses_records(
    world, client, django_user_model, url_name
):
    rw = rep_world(world)
    other_user, _ = make_representative(django_user_model, "other-rep", "Other Rep")
    objects = {
        "representatives:declaration_edit": rw.declaration,
        "representatives:feedback_detail": rw.report,
        "representatives:feedback_edit": rw.report,
        "representatives:signature_detail": rw.signature,
        "representatives:signature_pdf": rw.signature,
        "representatives:appointment_detail": rw.appointment,
    }
    client.force_login(other_user)
    response = client.get(reverse(url_name, kwargs={"pk": objects[url_name].pk}))
    assert response.status_code == 404


def test_another_representative_cannot_take_someone_elses_issue_or_edit_their_declaration(
    world, client, django_user_model
):
    rw = rep_world(world)
    other_user, _ = make_representative(django_user_model, "other-rep", "Other Rep")
    client.force_login(other_user)
    response = client.post(reverse("representatives:issue_take", kwargs={"pk": rw.issue.pk}))
    assert response.status_code == 404
    response = client.post(
        reverse("representatives:declaration_edit", kwargs={"pk": rw.declaration.pk}),
        {"kind": "general", "interest": "Hijacked"},
    )
    assert response.status_code == 404
    assert Declaration.objects.get(pk=rw.declaration.pk).interest == "Trustee of a charity"


def test_my_page_shows_only_my_own_records(world, client, django_user_model):
    rep_world(world)
    other_user, _ = make_representative(django_user_model, "other-rep", "Other Rep")
    client.force_login(other_user)
    page = client.get(reverse("representatives:mine")).content.decode()
    assert "Trustee of a charity" not in page
    assert "The budget" not in page
    assert "Hall hire costs" not in page
    assert "representative@example.org" not in page


def test_representative_never_sees_contact_details_on_an_appointment(world, client):
    rw = rep_world(world)
    client.force_login(world.users["representative"])
    page = client.get(rw.appointment.get_absolute_url()).content.decode()
    assert "representative@example.org" not in page
    client.force_login(world.users["officer"])
    assert (
        "representative@example.org"
        in client.get(rw.appointment.get_absolute_url()).content.decode()
    )


# --- Reminders ----------------------------------------------------------------------------


def test_term_end_reminder_goes_to_officers_once(world, appointed):
    appointed.term_end = days(60)
    appointed.save()
    mail.outbox.clear()
    sent = reminders.send_term_end_reminders()
    assert len(sent) == 1
    assert mail.outbox[0].to == ["officer-user@example.org"]
    assert "Representative Person" in mail.outbox[0].subject
    assert reminders.send_term_end_reminders() == []
    assert len(mail.outbox) == 1
    assert TermEndReminder.objects.count() == 1


def test_terms_ending_more_than_90_days_ahead_are_not_reminded(world, appointed):
    mail.outbox.clear()
    assert reminders.send_term_end_reminders() == []  # term ends in 700 days
    assert not mail.outbox


def test_management_command_is_idempotent(world, appointed):
    from django.core.management import call_command

    appointed.term_end = days(10)
    appointed.save()
    out = io.StringIO()
    call_command("send_representative_reminders", stdout=out)
    call_command("send_representative_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["1 reminder(s) sent.", "0 reminder(s) sent."]


def test_dashboard_flags_terms_ending_within_90_days(world, client, appointed):
    appointed.term_end = days(30)
    appointed.save()
    client.force_login(world.users["officer"])
    page = client.get(reverse("home")).content.decode()
    assert "1 term ends within 90 days" in page
    assert "Representative Person" in page


# --- The report ---------------------------------------------------------------------------


def test_report_counts_places_rounds_unsigned_and_feedback(
    world, client, django_assert_max_num_queries
):
    rw = rep_world(world)
    place(world, "vacant-place")
    round_at(world, "canvass", the_place=place(world, "in-progress"))
    client.force_login(world.users["board"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("representatives:report")).content.decode()
    assert "1 places filled, 2 vacant" in page
    assert "Canvassing for nominations" in page
    assert rw.report.appointment.partnership.name in page


def test_report_query_count_does_not_grow_with_appointments(world, client):

    conduct_version(world)
    client.force_login(world.users["officer"])
    counts = []
    for batch in range(2):
        for number in range(1 + batch * 4):
            round_at(world, "appointed", the_place=place(world, f"p{batch}-{number}"))
        with request_queries() as queries:
            client.get(reverse("representatives:report"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_report_is_a_board_pack_paper(world):
    rep_world(world)
    provider = registry.get(PaperProvider, "representatives.report")
    assert provider is not None
    assert [o.value for o in provider.options()] == ["latest"]
    before = provider.fingerprint("latest", days(0))
    paper = provider.render("latest", days(0))
    assert "Places filled and vacant" in pdf_text(paper.pdf)
    services.conduct_version_publish(
        version="9", text="x", effective_on=days(0), actor=world.users["officer"]
    )
    assert provider.fingerprint("latest", days(0)) != before


def test_partnerships_register_hooks_count_holders_and_name_them_without_contacts(
    world, django_assert_num_queries
):
    from representatives.selectors import place_holder_counts, place_holder_names

    rw = rep_world(world)
    empty = place(world, "empty")
    ids = [rw.appointment.place_id, empty.pk]
    with django_assert_num_queries(1):
        assert place_holder_counts(ids) == {rw.appointment.place_id: 1}
    with django_assert_num_queries(1):
        names = place_holder_names(ids)
    assert names == {
        rw.appointment.place_id: [("Representative Person", "Testshire Voluntary Action")]
    }
