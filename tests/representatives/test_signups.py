"""Sign-ups without an account: consent, email confirmation, the administrators' queue and
erasure that leaves no personal data behind (history tables included)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from compact.platform.access import Role, has_role
from representatives import services
from representatives.models import Nomination, SignUp
from tests.representatives.factories import place, round_at


def submit(**extra):
    data = {
        "full_name": "Nia Williams",
        "organisation_name": "Testshire Carers",
        "email": "nia@example.org",
        "phone": "01685 000000",
        "interests": "Carers and older people",
        "experience": "Trustee for six years",
        "consent": True,
        "site_url": "http://testserver/",
    }
    data.update(extra)
    return services.signup_submit(**data)


def confirmed(**extra):
    signup = submit(**extra)
    return services.signup_confirm(token=services.signup_token(signup))


def form_data(world, **extra):
    data = {
        "full_name": "Nia Williams",
        "organisation_name": "Testshire Carers",
        "email": "nia@example.org",
        "interest": "either",
        "interests": "Carers",
        "consent": "on",
    }
    data.update(extra)
    return data


def test_signup_form_works_without_an_account_and_emails_a_confirmation_link(world, client):
    response = client.get(reverse("representatives:signup"))
    assert str(services.CONSENT_WORDING) in response.content.decode()
    response = client.post(reverse("representatives:signup"), form_data(world))
    assert response.status_code == 302
    signup = SignUp.objects.get()
    assert signup.status == SignUp.Status.UNVERIFIED
    assert signup.consent_wording == str(services.CONSENT_WORDING)
    assert signup.consent_given_at is not None
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert "Your email address is confirmed" in response.content.decode()
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.WAITING and signup.email_confirmed_at


def test_signup_without_consent_is_refused_and_nothing_is_kept(world, client):
    data = form_data(world)
    del data["consent"]
    response = client.post(reverse("representatives:signup"), data)
    assert response.status_code == 200
    assert "We can only hold your details" in response.content.decode()
    assert not SignUp.objects.exists()
    with pytest.raises(ValidationError):
        submit(consent=False)


def test_honeypot_filled_in_keeps_nothing(world, client):
    response = client.post(
        reverse("representatives:signup"), form_data(world, website="http://spam")
    )
    assert response.status_code == 302
    assert not SignUp.objects.exists()
    assert not mail.outbox


def test_too_many_signups_from_one_address_are_refused(world, client):
    for number in range(5):
        client.post(reverse("representatives:signup"), form_data(world, email=f"n{number}@x.org"))
    response = client.post(reverse("representatives:signup"), form_data(world, email="six@x.org"))
    assert "Too many sign-ups" in response.content.decode()
    assert SignUp.objects.count() == 5


def test_tampered_confirmation_link_is_refused(world, client):
    signup = submit()
    response = client.get(
        reverse(
            "representatives:signup_confirm", kwargs={"token": services.signup_token(signup) + "x"}
        )
    )
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.UNVERIFIED


def test_approval_creates_person_and_representative_account_and_emails_set_password(world):
    signup = confirmed()
    mail.outbox.clear()
    services.signup_approve(
        signup=signup, actor=world.users["administrator"], site_url="http://testserver/"
    )
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.APPROVED
    user = signup.person.user
    assert has_role(user, Role.REPRESENTATIVE)
    assert not user.has_usable_password()
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert signup.person.organisation.name == "Testshire Carers"


def test_approval_links_an_existing_person_with_the_same_email(world):
    existing = world.people["representative"]
    signup = confirmed(email=existing.email.upper())
    services.signup_approve(
        signup=signup, actor=world.users["administrator"], site_url="http://testserver/"
    )
    signup.refresh_from_db()
    assert signup.person == existing
    assert get_user_model().objects.filter(person=existing).count() == 1


@pytest.mark.parametrize("role", ["officer", "representative", "board"])
def test_only_administrators_decide_sign_ups(world, role):
    signup = confirmed()
    with pytest.raises(PermissionDenied):
        services.signup_approve(signup=signup, actor=world.users[role], site_url="http://x/")
    with pytest.raises(PermissionDenied):
        services.signup_reject(signup=signup, reason="No", actor=world.users[role])


def test_unconfirmed_sign_up_cannot_be_approved(world):
    signup = submit()
    with pytest.raises(ValidationError, match="email not yet confirmed"):
        services.signup_approve(
            signup=signup, actor=world.users["administrator"], site_url="http://x/"
        )


def test_rejection_needs_a_reason(world):
    signup = confirmed()
    with pytest.raises(ValidationError, match="Give the reason"):
        services.signup_reject(signup=signup, reason=" ", actor=world.users["administrator"])
    services.signup_reject(
        signup=signup, reason="Private company", actor=world.users["administrator"]
    )
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.REJECTED and signup.rejection_reason == "Private company"


def test_merge_combines_places_and_marks_the_duplicate(world):
    the_place = place(world)
    keep = confirmed()
    duplicate = confirmed(email="nia.w@example.org", places=[the_place])
    services.signup_merge(duplicate=duplicate, into=keep, actor=world.users["administrator"])
    duplicate.refresh_from_db()
    assert duplicate.status == SignUp.Status.MERGED and duplicate.merged_into == keep
    assert list(keep.places.all()) == [the_place]
    with pytest.raises(ValidationError):
        services.signup_merge(duplicate=keep, into=keep, actor=world.users["administrator"])


def test_sign_up_put_forward_for_an_open_round_becomes_a_nomination(world, client):
    signup = confirmed()
    r = round_at(world, "canvass").round
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("representatives:signup_action", kwargs={"pk": signup.pk, "action": "nominate"}),
        {"nominate-round": r.pk, "nominate-nominated_by": "Carers forum"},
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get(round=r)
    assert nomination.signup == signup and nomination.person is None
    # Approval later links the nomination to the new Person.
    services.signup_approve(signup=signup, actor=world.users["administrator"], site_url="http://x/")
    nomination.refresh_from_db()
    assert nomination.person == SignUp.objects.get(pk=signup.pk).person


def _rows_containing(text: str) -> list[str]:
    """Every table (history tables included) with a text column holding ``text``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("representatives_"):
                continue
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',  # noqa: S608
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}")
    return found


def test_erasing_a_rejected_sign_up_leaves_no_personal_data_anywhere(world):
    signup = confirmed(
        full_name="Zebedee Quartermain", email="zebedee@example.org", phone="07700 900123"
    )
    services.signup_reject(
        signup=signup, reason="Quartermain is not local", actor=world.users["administrator"]
    )
    assert sorted(_rows_containing("Quartermain")) == [
        "representatives_signup.full_name",
        "representatives_signup.rejection_reason",
    ]
    services.signup_erase(signup=signup, actor=world.users["administrator"])
    for secret in (
        "Zebedee",
        "Quartermain",
        "zebedee@example.org",
        "07700 900123",
        "Trustee for six",
    ):
        assert _rows_containing(secret) == [], secret
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.ERASED and signup.erased_at
    assert signup.consent_given_at is not None  # the anonymised trace


def test_waiting_or_approved_sign_up_cannot_be_erased(world):
    signup = confirmed()
    with pytest.raises(ValidationError, match="Cannot erase"):
        services.signup_erase(signup=signup, actor=world.users["administrator"])


def test_officer_sees_queue_but_cannot_approve_through_the_view(world, client):
    signup = confirmed()
    client.force_login(world.users["officer"])
    assert "Nia Williams" in client.get(reverse("representatives:signup_list")).content.decode()
    response = client.post(
        reverse("representatives:signup_action", kwargs={"pk": signup.pk, "action": "approve"})
    )
    assert response.status_code == 403
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.WAITING


def test_signup_queue_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    for number in range(8):
        confirmed(email=f"person{number}@example.org", places=[place(world, f"p{number}")])
    client.force_login(world.users["administrator"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("representatives:signup_list"))
    assert response.content.decode().count("person") >= 8


def test_administrators_dashboard_shows_the_sign_ups_waiting(world, client_for):
    first = confirmed(full_name="Nia Williams", email="nia@example.org")
    confirmed(full_name="Owain Price", email="owain@example.org")
    submit(full_name="Not Confirmed", email="nc@example.org")  # not in the queue yet
    page = client_for("administrator").get(reverse("home")).content.decode()
    assert "2 sign-ups are waiting for a decision." in page
    assert reverse("representatives:signup_detail", args=[first.pk]) in page
    assert "Not Confirmed" not in page
    board = client_for("board").get(reverse("home")).content.decode()
    assert "Representative sign-ups" not in board and "Nia Williams" not in board


def test_administrator_puts_a_sign_up_forward_and_follows_it_to_the_round(world, client):
    signup = confirmed(organisation_name="Testshire Carers")
    r = round_at(world, "canvass").round
    client.force_login(world.users["administrator"])
    client.post(
        reverse("representatives:signup_action", kwargs={"pk": signup.pk, "action": "nominate"}),
        {"nominate-round": r.pk, "nominate-nominated_by": "Carers forum"},
    )
    nomination = Nomination.objects.get(round=r, signup=signup)
    # The nominee's organisation travels with the nomination, before any approval.
    assert nomination.organisation is not None
    assert nomination.organisation.name == "Testshire Carers"

    detail = client.get(signup.get_absolute_url()).content.decode()
    assert "Waiting for a decision" not in detail
    assert "Put forward to a selection round" in detail
    assert r.get_absolute_url() in detail
    queue = client.get(reverse("representatives:signup_list")).content.decode()
    assert "Put forward to a selection round" in queue and r.get_absolute_url() in queue

    round_page = client.get(r.get_absolute_url())
    assert round_page.status_code == 200
    text = round_page.content.decode()
    assert "Testshire Carers" in text and signup.get_absolute_url() in text
    # Administrators follow rounds; officers run them.
    assert reverse("representatives:round_action", args=[r.pk, "eligibility"]) not in text
    assert client.get(reverse("representatives:round_list")).status_code == 200


def test_sign_up_shows_the_nominations_outcome(world, client_for):
    signup = confirmed()
    r = round_at(world, "canvass").round
    nomination = services.nomination_add(
        selection_round=r, signup=signup, nominated_by="Forum", actor=world.users["officer"]
    )
    nomination.eligible = False
    nomination.save()
    page = client_for("administrator").get(signup.get_absolute_url()).content.decode()
    assert "Found not eligible" in page


def test_refusal_page_does_not_send_an_administrator_to_ask_an_administrator(world, client_for):
    r = round_at(world, "canvass").round
    response = client_for("administrator").get(
        reverse("representatives:round_action", args=[r.pk, "eligibility"])
    )
    text = response.content.decode()
    assert response.status_code == 403
    assert "ask a Compact administrator" not in text and "ask a VAMT officer" in text
    board = client_for("board").get(reverse("representatives:round_list")).content.decode()
    assert "ask a Compact administrator" in board
