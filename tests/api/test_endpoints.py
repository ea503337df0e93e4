"""Every endpoint of the read-only API, called as a visitor, as a token holder and with a
wrong token; what each may read is what the web pages show them, never more."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from compact.models import AccountEvent
from plans.reports import update_comparison
from plans.selectors.reports import update_by_number
from tests.api.conftest import ApiWorld, bearer, make_token
from tests.compact.factories import UserFactory

ENDPOINTS: dict[str, Callable[[ApiWorld], dict[str, Any]]] = {
    "api:index": lambda w: {},
    "api:docs": lambda w: {},
    "api:schema": lambda w: {},
    "api:plan_list": lambda w: {},
    "api:plan_detail": lambda w: {"slug": w.public_plan.slug},
    "api:plan_updates": lambda w: {"slug": w.public_plan.slug},
    "api:plan_update": lambda w: {"slug": w.public_plan.slug, "number": 2},
    "api:open_data_csv": lambda w: {"slug": w.public_plan.slug, "number": 2},
    "api:open_data_json": lambda w: {"slug": w.public_plan.slug, "number": 2},
    "api:meeting_list": lambda w: {},
    "api:meeting_detail": lambda w: {"pk": w.public_meeting.pk},
    "api:partnership_list": lambda w: {},
    "api:partnership_detail": lambda w: {"slug": w.partnership.slug},
}
# Pages and the schema take no token: they are the same for everyone.
TOKENLESS = {"api:docs", "api:schema"}


def _api_names() -> set[str]:
    def walk(patterns: list[Any], prefix: str) -> set[str]:
        names: set[str] = set()
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                names |= walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and prefix.startswith("api:"):
                names.add(f"{prefix}{entry.name}")
        return names

    return walk(get_resolver().url_patterns, "")


def test_every_api_url_is_called_here() -> None:
    assert _api_names() == set(ENDPOINTS)


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_endpoint_answers_visitor_token_holder_and_refuses_a_wrong_token(
    name: str, api_world: ApiWorld, client: Any
) -> None:
    url = reverse(name, kwargs=ENDPOINTS[name](api_world))
    assert client.get(url).status_code == 200
    secret = make_token(api_world.world.users["board"])
    assert client.get(url, **bearer(secret)).status_code == 200
    if name in TOKENLESS:
        return
    wrong = client.get(url, **bearer(secret[:-2] + "xx"))
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "This API token is not valid."}
    assert wrong["WWW-Authenticate"] == 'Bearer realm="api"'
    refused = AccountEvent.objects.get(kind=AccountEvent.Kind.API_TOKEN_REFUSED)
    assert refused.detail == "unknown token" and refused.user is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_only_reads(method: str, api_world: ApiWorld, client: Any) -> None:
    """The CSRF check refuses a write first (no view is exempt); past it, the API says 405."""
    secret = make_token(api_world.world.users["officer"])
    url = reverse("api:plan_detail", kwargs={"slug": api_world.public_plan.slug})
    body = {"data": json.dumps({"title": "Changed"}), "content_type": "application/json"}
    checked = Client(enforce_csrf_checks=True)
    assert getattr(checked, method)(url, **body, **bearer(secret)).status_code == 403
    response = getattr(client, method)(url, **body, **bearer(secret))
    assert response.status_code == 405
    api_world.public_plan.refresh_from_db()
    assert api_world.public_plan.title != "Changed"


def _slugs(response: Any) -> list[str]:
    return [entry["slug"] for entry in response.json()["results"]]


def test_private_plan_is_not_leaked_to_visitors_nor_to_people_without_a_role(
    api_world: ApiWorld, client: Any
) -> None:
    private = api_world.private_plan.slug
    no_role = make_token(UserFactory(username="no-role", role=None))
    for headers in ({}, bearer(no_role)):
        assert _slugs(client.get(reverse("api:plan_list"), **headers)) == ["open-plan"]
        for name, kwargs in (
            ("api:plan_detail", {"slug": private}),
            ("api:plan_updates", {"slug": private}),
            ("api:plan_update", {"slug": private, "number": 1}),
        ):
            assert client.get(reverse(name, kwargs=kwargs), **headers).status_code == 404


def test_token_holder_with_a_role_reads_every_plan_but_open_data_is_for_public_plans_only(
    api_world: ApiWorld, client: Any
) -> None:
    headers = bearer(make_token(api_world.world.users["representative"]))
    assert sorted(_slugs(client.get(reverse("api:plan_list"), **headers))) == [
        "closed-plan",
        "open-plan",
    ]
    kwargs = {"slug": "closed-plan", "number": 1}
    report = client.get(reverse("api:plan_update", kwargs=kwargs), **headers).json()
    assert report["summary"] == "Private first" and report["open_data_csv"] is None
    for name in ("api:open_data_csv", "api:open_data_json"):
        assert client.get(reverse(name, kwargs=kwargs), **headers).status_code == 404


def test_update_carries_the_reports_own_changes(api_world: ApiWorld, client: Any) -> None:
    plan = api_world.public_plan
    update = update_by_number(plan, 2)
    update.plan = plan
    changes = update_comparison(update).changes
    report = client.get(reverse("api:plan_update", kwargs={"slug": plan.slug, "number": 2}))
    data = report.json()
    assert data["compared_with"] == 1
    assert data["counts"]["rows"] == {"added": 0, "removed": 0, "changed": 1, "moved": 0}
    assert changes.row_counts.changed == 1
    rows = [row for o in data["objectives"] for t in o["tasks"] for row in t["rows"]]
    expected = [row for o in changes.objectives for t in o.tasks for row in t.rows]
    assert [row["id"] for row in rows] == [row.id for row in expected]
    assert [row["change"] for row in rows] == [row.kind.value for row in expected]
    changed = next(row for row in rows if row["change"] == "changed")
    assert changed["changed_fields"][0]["field"] == "progress"
    assert changed["changed_fields"][0]["new"].endswith("edited for Update 2")
    only = client.get(report.request["PATH_INFO"] + "?only=changes").json()
    only_rows = [row for o in only["objectives"] for t in o["tasks"] for row in t["rows"]]
    assert [row["change"] for row in only_rows] == ["changed"]


def test_open_data_escapes_formulas_in_csv_and_keeps_json_text_as_written(
    api_world: ApiWorld, client: Any
) -> None:
    kwargs = {"slug": api_world.public_plan.slug, "number": 2}
    csv = client.get(reverse("api:open_data_csv", kwargs=kwargs))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv["Content-Disposition"]
    text = csv.content.decode()
    assert text.splitlines()[0].startswith("objective,objective_title,objective_title_cy,task")
    assert '"\'=HYPERLINK(""http://evil"")' in text
    assert ",=HYPERLINK" not in text
    data = client.get(reverse("api:open_data_json", kwargs=kwargs)).json()
    assert data["rows"][0]["progress"].startswith('=HYPERLINK("http://evil")')
    assert [row["change"] for row in data["rows"]] == ["changed", "unchanged"]


def test_meetings_show_visitors_public_dates_only_and_members_their_agendas(
    api_world: ApiWorld, client: Any
) -> None:
    public, private = api_world.public_meeting, api_world.private_meeting
    listed = client.get(reverse("api:meeting_list")).json()["results"]
    assert [(m["id"], m["full"]) for m in listed] == [(public.pk, False)]
    detail = client.get(reverse("api:meeting_detail", kwargs={"pk": public.pk})).json()
    assert detail["agenda"] == [] and detail["venue"] == "Civic Centre"
    private_url = reverse("api:meeting_detail", kwargs={"pk": private.pk})
    assert client.get(private_url).status_code == 404
    board = bearer(make_token(api_world.world.users["board"]))
    member = client.get(reverse("api:meeting_detail", kwargs={"pk": public.pk}), **board).json()
    assert member["full"] is True and member["agenda"]
    assert client.get(private_url, **board).status_code == 404
    officer = bearer(make_token(api_world.world.users["officer"]))
    ids = [m["id"] for m in client.get(reverse("api:meeting_list"), **officer).json()["results"]]
    assert sorted(ids) == sorted([public.pk, private.pk])
    assert client.get(private_url, **officer).json()["venue"] == "Back room"


def test_partnerships_register_has_no_personal_data(api_world: ApiWorld, client: Any) -> None:
    contact = api_world.world.people["officer"]
    officer = bearer(make_token(api_world.world.users["officer"]))
    anonymous = client.get(reverse("api:partnership_list"))
    assert _slugs(anonymous) == ["local-service-board"]
    signed_in = client.get(reverse("api:partnership_list"), **officer)
    assert _slugs(signed_in) == ["local-service-board", "quiet-forum"]
    hidden = reverse("api:partnership_detail", kwargs={"slug": "quiet-forum"})
    assert client.get(hidden).status_code == 404
    for response in (anonymous, signed_in, client.get(hidden, **officer)):
        text = response.content.decode()
        for personal in (contact.full_name, contact.email, "contact", "email", "phone"):
            assert personal not in text
    entry = signed_in.json()["results"][0]
    assert (entry["name"], entry["name_cy"], entry["purpose_cy"]) == (
        "Local Service Board",
        "Bwrdd Gwasanaethau Lleol",
        "",
    )
    place = entry["places"][0]
    assert place == {
        "kind": "elected",
        "kind_label": "Elected third-sector representative",
        "title": "Elected seat",
        "title_cy": "Sedd etholedig",
        "number_of_places": 2,
        "has_deputy": False,
        "term_months": None,
        "role_description": "",
        "role_description_cy": "",
        "filled": 0,
        "vacancies": 2,
    }


def test_lists_are_paginated_with_a_size_limit(
    api_world: ApiWorld, client: Any, settings: Any
) -> None:
    settings.API_MAX_PAGE_SIZE = 1
    url = reverse("api:plan_updates", kwargs={"slug": api_world.public_plan.slug})
    first = client.get(url + "?page_size=50").json()
    assert first["count"] == 2 and len(first["results"]) == 1 and first["next"]
    second = client.get(first["next"]).json()
    assert [entry["number"] for entry in second["results"]] == [1]
    assert client.get(url + "?page=9").status_code == 404
