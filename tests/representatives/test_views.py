"""Pages: every round step's form renders, refusals show on the form, lists keep fixed query
counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from representatives.models import SelectionRound
from representatives.procedure import STEPS
from representatives.views.rounds import RUNNERS
from tests.queries import request_queries
from tests.representatives.factories import conduct_version, days, place, rep_world, round_at


def test_every_step_of_the_protocol_has_a_runner_and_a_form() -> None:
    from representatives import forms

    assert set(RUNNERS) == set(STEPS)
    assert all(hasattr(forms, step.form) for step in STEPS.values())


@pytest.mark.parametrize("action", sorted(STEPS))
def test_every_round_step_form_renders(world, client, action):
    state = round_at(world, "election", nominees=[world.people["representative"]])
    client.force_login(world.users["officer"])
    response = client.get(
        reverse("representatives:round_action", kwargs={"pk": state.round.pk, "action": action})
    )
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


def test_unknown_round_step_is_not_found(world, client):
    state = round_at(world, "opened")
    client.force_login(world.users["officer"])
    url = reverse("representatives:round_action", kwargs={"pk": state.round.pk, "action": "skip"})
    assert client.get(url).status_code == 404


def test_skipping_a_step_shows_which_step_comes_next_and_changes_nothing(world, client):
    state = round_at(world, "opened")
    client.force_login(world.users["officer"])
    url = reverse(
        "representatives:round_action", kwargs={"pk": state.round.pk, "action": "canvass"}
    )
    response = client.post(url, {"wider_membership": "on", "done_on": days(0).isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The next step is to agree the timetable." in page
    state.round.refresh_from_db()
    assert state.round.status == SelectionRound.Status.OPENED


def test_round_detail_lists_only_the_steps_allowed_now(world, client):
    state = round_at(world, "timetable")
    client.force_login(world.users["officer"])
    page = client.get(state.round.get_absolute_url()).content.decode()
    assert "2. Record the canvass" in page
    assert "4. Open the election" not in page
    assert "Timetable agreed" in page


def test_round_list_query_count_is_fixed(world, client, django_assert_max_num_queries):
    for number in range(6):
        round_at(world, "canvass", the_place=place(world, f"p{number}"))
    client.force_login(world.users["officer"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("representatives:round_list"))
    assert response.content.decode().count("Canvassing for nominations") == 6


def test_round_detail_query_count_is_fixed(world, client, django_assert_max_num_queries):
    people = [world.people["representative"], world.people["board"], world.people["officer"]]
    state = round_at(world, "declared", nominees=people, votes=[5, 3, 1])
    client.force_login(world.users["officer"])
    with django_assert_max_num_queries(18):
        client.get(state.round.get_absolute_url())


def test_officer_lists_keep_fixed_query_counts(world, client):

    conduct_version(world)
    rep_world(world)
    client.force_login(world.users["officer"])
    names = (
        "appointment_list",
        "declaration_register",
        "feedback_list",
        "conduct_signatures",
        "signup_list",
        "round_list",
    )
    counts = []
    for batch in range(2):
        for number in range(1 + batch * 3):
            round_at(world, "appointed", the_place=place(world, f"q{batch}-{number}"))
        sizes = {}
        for name in names:
            with request_queries() as queries:
                assert client.get(reverse(f"representatives:{name}")).status_code == 200
            sizes[name] = len(queries)
        counts.append(sizes)
    assert counts[0] == counts[1]
    assert max(counts[1].values()) <= 12


def test_inform_step_shows_the_drafted_email_and_letter(world, client):
    state = round_at(world, "declared")
    client.force_login(world.users["officer"])
    page = client.get(
        reverse("representatives:round_action", kwargs={"pk": state.round.pk, "action": "inform"})
    ).content.decode()
    assert "Draft email to the statutory body" in page
    assert "- Representative Person, TVA" in page
    assert reverse("representatives:round_letter", kwargs={"pk": state.round.pk}) in page


def test_drafted_email_escapes_the_nominee_name(world, client):
    from tests.representatives.factories import person

    sly = person(world, "<b>Sly</b> Nominee")
    state = round_at(world, "declared", nominees=[sly])
    client.force_login(world.users["officer"])
    page = client.get(
        reverse("representatives:round_action", kwargs={"pk": state.round.pk, "action": "inform"})
    ).content.decode()
    assert "<b>Sly</b>" not in page
    assert "&lt;b&gt;Sly&lt;/b&gt; Nominee" in page


def test_dashboard_and_report_count_the_same_vacant_places(world: Any, client_for: Any) -> None:
    """The dashboard's vacancy figure and the representatives' report agree: both count the
    places of active partnerships (a closed partnership's seats are not vacancies)."""
    from partnerships.models import Partnership
    from partnerships.selectors import register_summary, vacancy_count
    from representatives.selectors import representatives_report
    from tests.partnerships.factories import make_partnership, make_place

    active = make_partnership(world.compact, "Local Service Board", lead_body=world.public_org)
    make_place(active, number_of_places=2)
    make_place(active, number_of_places=1)
    closed = make_partnership(
        world.compact, "Old Forum", lead_body=world.public_org, status=Partnership.Status.CLOSED
    )
    make_place(closed, number_of_places=2)

    report = representatives_report()
    assert report.places_vacant == register_summary()["vacancies"] == vacancy_count() == 3
    client = client_for("officer")
    home = client.get(reverse("home")).content.decode()
    assert "3 vacant third-sector places in active partnerships" in home
    page = client.get(reverse("representatives:report")).content.decode()
    assert "In active partnerships: 0 places filled, 3 vacant." in page
    assert "Old Forum" not in page
