"""Test data for update calls: a plan whose rows name the world's contributor (initials X6)
and another person, an open call and the contributor's proposal, all through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from plans.services import calls
from plans.services.contributors import row_contributors_confirm
from tests.compact.factories import PersonFactory
from tests.plans.factories import make_objective, make_plan, make_row, make_task


def call_plan(world: Any) -> dict[str, Any]:
    """A plan with two objectives: rows for the contributor (X6) and for another person (OP),
    built once per world."""
    if "call_plan" not in world.extra:
        other = PersonFactory(
            full_name="Other Person", initials="OP", email="other@example.org", user=None
        )
        plan = make_plan(world, objectives=0, slug="call-plan")
        first = make_task(make_objective(plan), "Establish the Board")
        second = make_task(make_objective(plan), "Publicise the Compact")
        rows = [
            make_row(first, outcome="Terms agreed", responsibility="X6", progress="Drafted"),
            make_row(first, outcome="Members named", responsibility="X6 / OP"),
            make_row(second, outcome="Leaflet printed", responsibility="OP"),
        ]
        # "X6" is not read as initials (letters only), so an officer confirms the first
        # objective's rows by hand, as on the "Who answers for each row" page.
        contributor = world.people["contributor"]
        row_contributors_confirm(
            objective=first.objective,
            links={rows[0].pk: ([contributor], []), rows[1].pk: ([contributor, other], [])},
            actor=world.users["officer"],
        )
        world.extra.update(call_plan=plan, call_rows=rows, other_person=other)
    return world.extra


def open_sample_call(world: Any, *, days: int = 21) -> Any:
    """The call of :func:`call_plan`, opened by the officer with a deadline ``days`` ahead."""
    if "call" not in world.extra:
        data = call_plan(world)
        opened = calls.open_call(
            plan=data["call_plan"],
            deadline=timezone.localdate() + datetime.timedelta(days=days),
            message="Please send your progress before the Board.",
            actor=world.users["officer"],
        )
        world.extra["call"] = opened.call
    return world.extra["call"]


def sample_proposal(world: Any) -> Any:
    """The contributor's proposal for their first row."""
    if "proposal" not in world.extra:
        call = open_sample_call(world)
        row = world.extra["call_rows"][0]
        world.extra["proposal"] = calls.propose(
            call=call,
            row=row,
            user=world.users["contributor"],
            fields={"progress": "Drafted and agreed by the Board", "status": "achieved"},
            note="Agreed on Tuesday",
            base_version=row.version,
        )
    return world.extra["proposal"]
