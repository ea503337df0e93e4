"""The search box (issue 16): plan rows in every issued update, meetings, papers, minutes,
actions and disputes, each found only by those who may read it, in a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from compact.models import Body
from compact.platform.search import Query, snippet
from compact.selectors.search import search
from compact.services.meetings import agenda_item_add, minutes_approve, minutes_save
from compact.services.minutes import item_minutes_save, minutes_circulate
from plans import services as plan_services
from plans.models import Outcome
from tests.compact.factories import make_meeting
from tests.disputes.factories import base_world, raise_dispute
from tests.plans.factories import make_plan
from tests.queries import request_queries

pytestmark = pytest.mark.django_db


def _found(user: Any, text: str) -> dict[str, list[str]]:
    return {
        result.source.key: [hit.title for hit in result.hits]
        for result in search(user, Query.parse(text))
    }


def _row(plan: Any) -> Outcome:
    return Outcome.objects.filter(plan=plan).order_by("pk").first()


def _edit(row: Outcome, progress: str, actor: Any) -> Outcome:
    return plan_services.outcome_update(
        outcome=row, expected_version=row.version, data={"progress": progress}, actor=actor
    )


def _issue(plan: Any, actor: Any, days_ago: int) -> Any:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return plan_services.plan_update_issue(plan=plan, actor=actor, date=day)


@pytest.fixture
def plan(world: Any) -> Any:
    officer = world.users["officer"]
    plan = make_plan(world, objectives=1, tasks=1, rows=2, is_public=True, actor=officer)
    _edit(_row(plan), "Gazebo survey sent to all groups", officer)
    _issue(plan, officer, days_ago=20)
    _edit(_row(plan), "Survey replaced by a questionnaire", officer)
    _issue(plan, officer, days_ago=10)
    _edit(_row(plan), "Wheelbarrow draft, not issued yet", officer)
    return plan


def test_readers_find_rows_in_every_issued_update_but_never_the_draft(world, plan) -> None:
    board, officer = world.users["board"], world.users["officer"]
    # Gone from the plan since Update 1, still found there.
    earlier = search(board, Query.parse("gazebo"))
    assert [hit.detail for hit in earlier[0].hits] == ["Update 1"]
    assert _found(board, "questionnaire")["plan-rows"]
    # The draft is the officers': the Board reads issued updates only.
    assert "plan-rows" not in _found(board, "wheelbarrow")
    assert [hit.detail for hit in search(officer, Query.parse("wheelbarrow"))[0].hits] == [
        "Current draft"
    ]


def test_visitors_find_public_plans_only(world, plan, client) -> None:
    response = client.get(reverse("compact:search"), {"q": "questionnaire"})
    assert response.status_code == 200
    assert reverse("plans:update_report", args=[plan.slug, 2]) in response.content.decode()
    plan.is_public = False
    plan.save()
    response = client.get(reverse("compact:search"), {"q": "questionnaire"})
    assert "Nothing found" in response.content.decode()


def test_meetings_minutes_and_papers_follow_the_meeting_rules(world) -> None:
    officer, board = world.users["officer"], world.users["board"]
    private = Body.objects.create(
        compact=world.compact, name="Funding Panel", slug="funding-panel", kind=Body.Kind.TASK_GROUP
    )
    ours = make_meeting(world.board, date=timezone.localdate() - datetime.timedelta(days=30))
    theirs = make_meeting(private, date=timezone.localdate() - datetime.timedelta(days=30))
    item = agenda_item_add(meeting=ours, title="Volunteering strategy refresh", actor=officer)
    agenda_item_add(meeting=theirs, title="Volunteering grants round", actor=officer)
    assert len(search(officer, Query.parse("volunteering"))[0].hits) == 2
    assert _found(board, "volunteering")["meetings"] == [
        f"Volunteering strategy refresh (Test Compact Board, {ours.date:%d/%m/%Y})"
    ]
    # Draft minutes are the officers'; members find them once circulated.
    minutes = minutes_save(meeting=ours, text="Agreed the lighthouse project.", actor=officer)
    item_minutes_save(item=item, discussion="The harbourmaster spoke first.", actor=officer)
    assert "minutes" in _found(officer, "lighthouse")
    assert _found(officer, "harbourmaster")["minutes"] == [
        f"Volunteering strategy refresh (Test Compact Board, {ours.date:%d/%m/%Y})"
    ]
    assert "minutes" not in _found(board, "lighthouse")
    assert "minutes" not in _found(board, "harbourmaster")
    later = make_meeting(world.board, date=timezone.localdate())
    minutes = minutes_circulate(minutes=minutes, actor=officer)
    assert "minutes" in _found(board, "lighthouse")
    assert "minutes" in _found(board, "harbourmaster")
    minutes_approve(minutes=minutes, at_meeting=later, actor=officer)
    assert "minutes" in _found(board, "lighthouse")
    # Nobody outside the body finds its meetings.
    assert _found(world.users["representative"], "volunteering") == {}


def test_a_representative_never_finds_a_confidential_dispute(world) -> None:
    disputes_world = base_world(world)
    raise_dispute(disputes_world, subject="Excluded from the harbour steering group")
    assert "disputes" in _found(world.users["officer"], "harbour")
    assert "disputes" in _found(disputes_world.users["raiser"], "harbour")
    for role in ("representative", "board", "administrator"):
        assert "disputes" not in _found(world.users[role], "harbour"), role
    assert "disputes" not in _found(disputes_world.users["unrelated"], "harbour")


def test_hits_are_escaped_and_matches_marked(world, client_for) -> None:
    officer = world.users["officer"]
    meeting = make_meeting(world.board, date=timezone.localdate())
    agenda_item_add(meeting=meeting, title="<script>alert(1)</script> harbour", actor=officer)
    page = client_for("officer").get(reverse("compact:search"), {"q": "harbour"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "<mark>harbour</mark>" in page


def test_short_or_empty_queries_search_nothing(client_for) -> None:
    client = client_for("officer")
    assert (
        "Type at least 2 characters"
        in client.get(reverse("compact:search"), {"q": "a"}).content.decode()
    )
    page = client.get(reverse("compact:search")).content.decode()
    assert "result" not in page and "Nothing found" not in page


def test_the_snippet_marks_every_word_around_the_first_match() -> None:
    query = Query.parse("Lighthouse  PROJECT")
    parts = snippet("x " * 200 + "the lighthouse project was agreed", query, width=60)
    assert parts[0] == ("… ", False)
    assert [text for text, matched in parts if matched] == ["lighthouse", "project"]


def test_search_costs_the_same_queries_however_much_matches(world, client_for) -> None:
    officer = world.users["officer"]
    plan = make_plan(world, objectives=1, tasks=1, rows=1, is_public=True, actor=officer)
    meeting = make_meeting(world.board, date=timezone.localdate())
    agenda_item_add(meeting=meeting, title="Harbour item 0", actor=officer)
    _edit(_row(plan), "harbour 0", officer)
    _issue(plan, officer, days_ago=5)
    url = reverse("compact:search")
    counts = {}
    for role in ("officer", "board", "anonymous"):
        client = client_for(role)
        with request_queries() as few:
            client.get(url, {"q": "harbour"})
        counts[role] = len(few)
    task = _row(plan).task
    for n in range(1, 9):
        agenda_item_add(meeting=meeting, title=f"Harbour item {n}", actor=officer)
        plan_services.outcome_create(task=task, data={"outcome": f"harbour {n}"}, actor=officer)
    _issue(plan, officer, days_ago=1)
    for role in ("officer", "board", "anonymous"):
        client = client_for(role)
        with request_queries() as many:
            client.get(url, {"q": "harbour"})
        assert len(many) == counts[role], role


def test_the_page_reads_in_welsh(world, client_for, settings) -> None:
    client = client_for("board")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("compact:search"), {"q": "dim"}).content.decode()
    assert 'lang="cy"' in page and "Chwilio" in page


def test_welsh_text_is_found_and_shown_to_welsh_readers(world, plan) -> None:
    officer = world.users["officer"]
    row = _row(plan)
    plan_services.outcome_update(
        outcome=row,
        expected_version=row.version,
        data={"progress_cy": "Holiadur gwirfoddoli wedi'i anfon"},
        actor=officer,
    )
    _issue(plan, officer, days_ago=2)
    with translation.override("cy"):
        (rows,) = search(world.users["board"], Query.parse("gwirfoddoli"))
    assert "gwirfoddoli" in [text for text, matched in rows.hits[0].snippet if matched]
