"""Each endpoint costs the same number of queries for 2 items as for 20 (a visitor and a token
holder alike): nothing is read once per plan, update, row, meeting, paper or partnership."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.services.meetings import agenda_item_add, paper_write
from tests.api.conftest import bearer, make_token
from tests.compact.factories import make_meeting
from tests.partnerships.factories import make_partnership, make_place, publish
from tests.plans.factories import issue, make_plan
from tests.queries import request_queries


def _queries(client: Any, url: str, headers: dict[str, str]) -> int:
    assert client.get(url, **headers).status_code == 200  # the token's use stamped, caches warm
    with request_queries() as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


def _plans(world: Any, count: int, start: int) -> str:
    for n in range(start, count):
        issue(make_plan(world, slug=f"plan-{n}", is_public=True, objectives=0))
    return reverse("api:plan_list")


def _updates(world: Any, count: int, start: int) -> str:
    plan = world.extra.get("plan") or make_plan(world, slug="many", is_public=True, objectives=0)
    world.extra["plan"] = plan
    for _ in range(start, count):
        issue(plan)
    return reverse("api:plan_updates", kwargs={"slug": plan.slug})


def _rows(world: Any, count: int, start: int) -> str:
    plan = make_plan(world, slug=f"rows-{count}", is_public=True, objectives=1, tasks=2,
                     rows=count // 2)  # fmt: skip
    issue(plan)
    return reverse("api:plan_update", kwargs={"slug": plan.slug, "number": 1})


def _open_data(world: Any, count: int, start: int) -> str:
    return _rows(world, count, start).replace("/updates/1/", "/updates/1/open-data.json")


def _meetings(world: Any, count: int, start: int) -> str:
    world.board.meetings_public = True
    world.board.save()
    for n in range(start, count):
        make_meeting(world.board, date=timezone.localdate() + datetime.timedelta(days=n + 1))
    return reverse("api:meeting_list")


def _agenda(world: Any, count: int, start: int) -> str:
    meeting = world.extra.get("meeting") or make_meeting(world.board)
    world.extra["meeting"] = meeting
    officer = world.users["officer"]
    for n in range(start, count):
        item = agenda_item_add(meeting=meeting, title=f"Item {n}", actor=officer)
        paper_write(item=item, title=f"Paper {n}", text="Written", actor=officer)
    return reverse("api:meeting_detail", kwargs={"pk": meeting.pk})


def _partnerships(world: Any, count: int, start: int) -> str:
    publish(world.compact)
    for n in range(start, count):
        make_place(make_partnership(world.compact, f"Partnership {n}"), number_of_places=2)
    return reverse("api:partnership_list")


BUILDERS: dict[str, Callable[[Any, int, int], str]] = {
    "plan_list": _plans,
    "plan_updates": _updates,
    "plan_update": _rows,
    "open_data": _open_data,
    "meeting_list": _meetings,
    "meeting_detail": _agenda,
    "partnership_list": _partnerships,
}


@pytest.mark.parametrize("who", ["anonymous", "officer"])
@pytest.mark.parametrize("endpoint", sorted(BUILDERS))
def test_endpoint_costs_the_same_queries_for_2_and_20_items(
    endpoint: str, who: str, world: Any, client: Any
) -> None:
    if endpoint == "meeting_detail" and who == "anonymous":
        pytest.skip("a visitor sees no agenda (tested in test_endpoints)")
    headers = {} if who == "anonymous" else bearer(make_token(world.users[who]))
    build = BUILDERS[endpoint]
    few = _queries(client, build(world, 2, 0), headers)
    many = _queries(client, build(world, 20, 2), headers)
    assert few == many, f"{endpoint}: {few} queries for 2 items, {many} for 20"
    assert few <= 8
    print(f"{endpoint} as {who}: {few} queries for 2 and for 20 items")
