"""Who may use the read-only API's URLs and the token pages. The API is public: a visitor
reads what is public, a person what their role lets them read (tests/api/ checks each answer);
the data built here is public, so every role gets 200. The token pages are for anyone signed
in; revoking another person's token says "no such token" and changes nothing."""

import datetime
from typing import Any

from tests.access import EVERYONE, SIGNED_IN, Case


def api_data(world: Any) -> dict[str, Any]:
    """A public plan with an issued update, a public Board meeting, a public partnership and a
    token of the officer's (made once per test, kept in world.extra)."""
    if "api_plan" not in world.extra:
        from django.utils import timezone

        from compact.services.api_tokens import api_token_create
        from tests.compact.factories import make_meeting
        from tests.partnerships.factories import make_partnership, publish
        from tests.plans.factories import issue, make_plan

        plan = make_plan(world, slug="api-plan", is_public=True, objectives=1, tasks=1)
        issue(plan)
        world.board.meetings_public = True
        world.board.save()
        soon = timezone.localdate() + datetime.timedelta(days=3)
        publish(world.compact)
        token, _secret = api_token_create(
            actor=world.users["officer"], name="Walk", expires_in_days=30
        )
        world.extra.update(
            api_plan=plan,
            api_meeting=make_meeting(world.board, date=soon),
            api_partnership=make_partnership(world.compact, "API Partnership"),
            api_token=token,
        )
    return world.extra


def _plan(world: Any) -> dict[str, Any]:
    return {"slug": api_data(world)["api_plan"].slug}


def _update(world: Any) -> dict[str, Any]:
    return {**_plan(world), "number": 1}


CASES: dict[str, Case] = {
    "api_tokens": Case(SIGNED_IN),
    "api_token_revoke": Case(
        SIGNED_IN, lambda world: {"pk": api_data(world)["api_token"].pk}, method="post"
    ),
    "api:index": Case(EVERYONE),
    "api:docs": Case(EVERYONE),
    "api:schema": Case(EVERYONE),
    "api:plan_list": Case(EVERYONE),
    "api:plan_detail": Case(EVERYONE, _plan),
    "api:plan_updates": Case(EVERYONE, _plan),
    "api:plan_update": Case(EVERYONE, _update),
    "api:open_data_csv": Case(EVERYONE, _update),
    "api:open_data_json": Case(EVERYONE, _update),
    "api:meeting_list": Case(EVERYONE),
    "api:meeting_detail": Case(EVERYONE, lambda world: {"pk": api_data(world)["api_meeting"].pk}),
    "api:partnership_list": Case(EVERYONE),
    "api:partnership_detail": Case(
        EVERYONE, lambda world: {"slug": api_data(world)["api_partnership"].slug}
    ),
}
