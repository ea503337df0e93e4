"""What the API tests read: a public plan with two issued updates, a private plan, meetings of
a publicly listed body and of a members-only one, the partnerships register with a contact and
a place holder, and personal tokens made through the service."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from compact.services.api_tokens import api_token_create
from tests.compact.factories import BodyFactory, make_meeting
from tests.partnerships.factories import make_partnership, make_place, publish
from tests.plans.factories import edit_progress, first_row, issue, make_plan


@dataclass
class ApiWorld:
    world: Any
    public_plan: Any
    private_plan: Any
    public_meeting: Any
    private_meeting: Any
    partnership: Any
    hidden_partnership: Any


def make_token(user: Any, name: str = "Test token", days: int | None = 30) -> str:
    """A live token's secret, made through the service as the token page does."""
    _token, secret = api_token_create(actor=user, name=name, expires_in_days=days)
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def api_world(world: Any) -> ApiWorld:
    public_plan = make_plan(world, slug="open-plan", is_public=True, objectives=1, tasks=1, rows=2)
    issue(public_plan, summary="First")
    edit_progress(first_row(public_plan), '=HYPERLINK("http://evil") edited for Update 2')
    issue(public_plan, summary="Second")
    private_plan = make_plan(world, slug="closed-plan", is_public=False, objectives=1, tasks=1)
    issue(private_plan, summary="Private first")
    world.board.meetings_public = True
    world.board.save()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    public_meeting = make_meeting(world.board, date=soon, venue="Civic Centre")
    group = BodyFactory(compact=world.compact, name="Secret Task Group", slug="secret-group")
    private_meeting = make_meeting(group, date=soon, venue="Back room")
    publish(world.compact)
    contact = world.people["officer"]
    partnership = make_partnership(world.compact, "Local Service Board", contact=contact)
    partnership.name_cy = "Bwrdd Gwasanaethau Lleol"
    partnership.save()
    make_place(partnership, title="Elected seat", title_cy="Sedd etholedig", number_of_places=2)
    hidden = make_partnership(world.compact, "Quiet Forum", published=False, contact=contact)
    return ApiWorld(
        world=world,
        public_plan=public_plan,
        private_plan=private_plan,
        public_meeting=public_meeting,
        private_meeting=private_meeting,
        partnership=partnership,
        hidden_partnership=hidden,
    )
