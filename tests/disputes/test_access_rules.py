"""Confidential by design: for every role and every dispute view and download, who gets in and
who gets a 404 (never a 403, which would reveal that the dispute exists)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from disputes import permissions
from disputes.models import Dispute, SupportingDocument
from disputes.selectors import disputes_visible_to
from tests.disputes.factories import dispute_world, png_bytes

ROLES = (
    "anonymous",
    "representative",
    "board",
    "officer",
    "administrator",
    "superuser",
    "raiser",
    "contact",
    "panel",
    "unrelated",
)
OFFICERS = {"officer", "superuser"}
SEES = OFFICERS | {"raiser", "contact", "panel"}

# view name, dispute (by stage), extra kwargs, method, who gets in
VIEWS = [
    ("detail", "scrutiny", {}, "get", SEES),
    ("document", "scrutiny", {"document_pk": None}, "get", SEES),
    ("document_add", "scrutiny", {}, "post", SEES),
    ("move", "scrutiny", {"stage": "escalation"}, "get", OFFICERS | {"panel"}),
    ("move", "scrutiny", {"stage": "closed"}, "get", OFFICERS | {"panel", "raiser"}),
    ("move", "scrutiny", {"stage": "informal"}, "get", set()),  # not in the procedure
    ("record", "scrutiny", {}, "get", OFFICERS | {"panel"}),
    ("panel", "scrutiny", {}, "get", OFFICERS),
    ("contacts", "scrutiny", {}, "get", OFFICERS),
    ("contacts", "scrutiny", {}, "post", OFFICERS),
    ("note_add", "scrutiny", {}, "post", OFFICERS | {"panel"}),
    ("interest_add", "scrutiny", {}, "post", OFFICERS | {"panel"}),
    ("session_add", "mediation", {}, "post", OFFICERS),
    ("detail", "closed", {}, "get", OFFICERS | {"raiser", "contact"}),
]


@pytest.fixture
def dw(world: Any) -> Any:
    dw = dispute_world(world)
    dispute = dw.disputes["scrutiny"]
    document = SupportingDocument(
        dispute=dispute,
        original_name="minutes.png",
        content_type="image/png",
        size=len(png_bytes()),
    )
    from django.core.files.base import ContentFile

    document.file.save("minutes.png", ContentFile(png_bytes()), save=False)
    document.save()
    dw.scrutiny_document = document
    return dw


def _client_as(client: Any, dw: Any, role: str) -> Any:
    client.logout()
    if role != "anonymous":
        client.force_login(dw.user(role))
    return client


def _outcome(response: Any) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "sign in"
    if response.status_code == 404:
        return "404"
    if response.status_code in {200, 400}:  # 400: an empty form posted, re-shown with errors
        return "in"
    return str(response.status_code)


@pytest.mark.parametrize(
    ("view", "stage", "extra", "method", "allowed"),
    VIEWS,
    ids=[f"{v[0]}-{v[1]}-{v[2].get('stage', '')}" for v in VIEWS],
)
def test_every_role_gets_in_or_gets_404(client, dw, view, stage, extra, method, allowed) -> None:
    dispute = dw.disputes[stage]
    kwargs = {"pk": dispute.pk, **extra}
    if "document_pk" in kwargs:
        kwargs["document_pk"] = dw.scrutiny_document.pk
    url = reverse(f"disputes:{view}", kwargs=kwargs)

    outcomes = {
        role: _outcome(getattr(_client_as(client, dw, role), method)(url)) for role in ROLES
    }

    expected = {
        role: "sign in" if role == "anonymous" else ("in" if role in allowed else "404")
        for role in ROLES
    }
    assert outcomes == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_list_and_the_selector_agree_with_the_object_rules(client, dw, role) -> None:
    user = dw.user(role)
    visible = set(disputes_visible_to(user))
    expected = {d for d in Dispute.objects.all() if permissions.can_view_dispute.test(user, d)}
    assert visible == expected

    page = _client_as(client, dw, role).get(reverse("disputes:list")).content.decode()
    for dispute in Dispute.objects.all():
        assert (dispute.subject in page) == (dispute in visible), (role, dispute.subject)


def test_raiser_sees_only_their_own_concerns(dw) -> None:
    assert set(disputes_visible_to(dw.users["raiser"])) == set(dw.disputes.values())
    assert not disputes_visible_to(dw.world.users["representative"]).exists()
    assert not disputes_visible_to(dw.users["unrelated"]).exists()


@pytest.mark.parametrize(
    ("role", "sees_notes"),
    [
        ("officer", True),
        ("superuser", True),
        ("panel", True),
        ("raiser", False),
        ("contact", False),
    ],
)
def test_confidential_notes_are_for_officers_and_the_panel_only(
    client, dw, role, sees_notes
) -> None:
    from disputes import services

    dispute = dw.disputes["scrutiny"]
    services.confidential_note_add(
        dispute=dispute, text="Panel thinks the council is stalling.", actor=dw.user("officer")
    )
    page = _client_as(client, dw, role).get(dispute.get_absolute_url()).content.decode()
    assert ("Panel thinks the council is stalling." in page) == sees_notes
    assert ("Confidential notes" in page) == sees_notes


def test_the_board_sees_the_report_but_no_dispute(client, dw) -> None:
    board = _client_as(client, dw, "board")
    assert board.get(reverse("disputes:report")).status_code == 200
    for dispute in dw.disputes.values():
        assert board.get(dispute.get_absolute_url()).status_code == 404


def test_a_document_of_another_dispute_is_not_served_through_a_visible_one(client, dw) -> None:
    # The raiser may see both disputes, but a document is only served under its own dispute.
    url = reverse(
        "disputes:document",
        kwargs={"pk": dw.disputes["informal"].pk, "document_pk": dw.scrutiny_document.pk},
    )
    assert _client_as(client, dw, "raiser").get(url).status_code == 404


def test_download_is_an_attachment_with_the_checked_type(client, dw) -> None:
    url = reverse(
        "disputes:document",
        kwargs={"pk": dw.disputes["scrutiny"].pk, "document_pk": dw.scrutiny_document.pk},
    )
    response = _client_as(client, dw, "contact").get(url)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
