"""Meeting actions and the plan (issue 15): a row shows its open actions in the editor, an
action shows its rows, and *My actions* lists the rows a person answers for
(``plans.selectors.rows_answered_by``), Board members included. Fixed queries throughout."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.services.meetings import action_add, action_complete
from plans.models import Outcome
from plans.selectors import rows_answered_by
from plans.selectors.actions import ACTION_LINK_TARGET, open_actions_by_row
from plans.services import outcome_update
from plans.services.contributors import row_contributors_confirm
from tests.compact.factories import make_meeting
from tests.plans.factories import make_objective, make_plan, make_row, make_task
from tests.queries import request_queries


@pytest.fixture
def rows(world: Any) -> dict[str, Any]:
    """A plan whose rows name the board member by initials (BO), their organisation (TC),
    the Board they sit on, and someone else (TVA); and a Board meeting."""
    board = world.people["board"]
    board.initials = "BO"
    board.save()
    plan = make_plan(world, objectives=0)
    task = make_task(make_objective(plan))
    made = {
        "initials": make_row(task, outcome="Named by initials", responsibility="VAMT (BO)"),
        "organisation": make_row(task, outcome="For the council", responsibility="TC"),
        "board": make_row(task, outcome="For the Board", responsibility="Board"),
        "other": make_row(task, outcome="Someone else's", responsibility="TVA"),
        "achieved": make_row(task, outcome="Finished row", responsibility="BO"),
    }
    outcome_update(
        outcome=made["achieved"],
        data={"status": Outcome.Status.ACHIEVED},
        expected_version=made["achieved"].version,
        actor=None,
    )
    meeting = make_meeting(world.board, date=timezone.localdate())
    return {"plan": plan, "task": task, "meeting": meeting, **made}


def _act(world: Any, rows: dict[str, Any], row: Outcome, description: str, **extra: Any):
    return action_add(
        meeting=rows["meeting"],
        description=description,
        owner=extra.pop("owner", world.people["officer"]),
        links=[(ACTION_LINK_TARGET, row.pk)],
        **extra,
    )


def test_rows_answered_by_reads_initials_organisation_and_bodies(world: Any, rows: Any) -> None:
    found = list(rows_answered_by(world.people["board"], plan=rows["plan"]))
    outcomes = [row.outcome for row in found]
    # Named by initials first; achieved rows and other people's rows are not "to do".
    assert outcomes[0] == "Named by initials" and found[0].names_me
    assert sorted(outcomes) == ["For the Board", "For the council", "Named by initials"]
    everything = rows_answered_by(world.people["board"], open_only=False)
    assert "Finished row" in [row.outcome for row in everything]


def test_rows_answered_by_follows_the_contributors_an_officer_confirmed(
    world: Any, rows: Any
) -> None:
    """Once an officer confirms who answers for a row (update calls), that decides: the
    Board member named on it gains it, a row confirmed for someone else leaves their list, and
    an organisation's lead contact answers for the rows given to it."""
    board, officer = world.people["board"], world.people["officer"]
    row_contributors_confirm(
        objective=rows["task"].objective,
        links={
            rows["other"].pk: ([board], []),
            rows["organisation"].pk: ([officer], []),
            rows["board"].pk: ([], [world.public_org]),
        },
        actor=world.users["officer"],
    )
    mine = sorted(row.outcome for row in rows_answered_by(board, plan=rows["plan"]))
    assert mine == ["Named by initials", "Someone else's"]
    world.public_org.lead_contacts.add(officer)
    theirs = sorted(row.outcome for row in rows_answered_by(officer, plan=rows["plan"]))
    assert theirs == ["For the Board", "For the council"]


def test_open_actions_by_row_is_one_query_and_leaves_done_actions_out(
    world: Any, rows: Any, django_assert_num_queries: Any
) -> None:
    _act(world, rows, rows["initials"], "Chase the police")
    done = _act(world, rows, rows["initials"], "Already done")
    action_complete(action=done)
    _act(world, rows, rows["other"], "Ask TVA")
    with django_assert_num_queries(1):
        found = open_actions_by_row([rows["initials"].pk, rows["other"].pk, rows["board"].pk])
    assert [action.description for action in found[rows["initials"].pk]] == ["Chase the police"]
    assert [action.description for action in found[rows["other"].pk]] == ["Ask TVA"]
    assert rows["board"].pk not in found


def test_the_plan_editor_shows_each_rows_open_actions_in_fixed_queries(
    world: Any, client_for: Any, rows: Any
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _act(world, rows, rows["initials"], "Chase the police", due_date=yesterday)
    client = client_for("officer")
    url = reverse("plans:plan_detail", kwargs={"slug": rows["plan"].slug})
    client.get(url)
    with request_queries() as few:
        page = client.get(url).content.decode()
    assert "Open actions:" in page and "Chase the police" in page
    assert 'rag rag-red">Overdue<' in page.split("Chase the police", 1)[1].split("</li>")[0]
    for number in range(8):
        row = make_row(rows["task"], outcome=f"Extra {number}", responsibility="TVA")
        _act(world, rows, row, f"Action on extra {number}")
    with request_queries() as many:
        page = client.get(url).content.decode()
    assert "Action on extra 7" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_row_editor_shows_the_rows_open_actions(world: Any, client_for: Any, rows: Any) -> None:
    _act(world, rows, rows["initials"], "Chase the police")
    client = client_for("officer")
    url = reverse("plans:row_edit", kwargs={"pk": rows["initials"].pk})
    full = client.get(url).content.decode()
    in_place = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    shown = client.get(
        reverse("plans:row_show", kwargs={"pk": rows["initials"].pk}), HTTP_HX_REQUEST="true"
    ).content.decode()
    meeting_url = reverse("compact:meeting_detail", kwargs={"pk": rows["meeting"].pk})
    for page in (full, in_place, shown):
        assert "Chase the police" in page and meeting_url in page


def test_the_action_shows_its_rows_linked_for_officers_named_for_members(
    world: Any, client_for: Any, rows: Any
) -> None:
    _act(world, rows, rows["initials"], "Chase the police")
    url = reverse("compact:meeting_detail", kwargs={"pk": rows["meeting"].pk})
    row_url = reverse("plans:row_show", kwargs={"pk": rows["initials"].pk})
    officer_page = client_for("officer").get(url).content.decode()
    assert f'href="{row_url}"' in officer_page
    board_page = client_for("board").get(url).content.decode()
    # The row is named, but its address is the officers' editor: no link a member cannot open.
    assert "Named by initials" in board_page and row_url not in board_page


def test_a_board_member_sees_the_rows_they_answer_for_on_my_actions(
    world: Any, client_for: Any, rows: Any
) -> None:
    _act(world, rows, rows["board"], "Agree the Board's response", owner=world.people["board"])
    client = client_for("board")
    url = reverse("compact:my_actions")
    client.get(url)
    with request_queries() as few:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Plan rows I answer for (3)" in page and "Meeting actions (1)" in page
    section = page.split("Plan rows I answer for (3)", 1)[1]
    assert "Named by initials" in section and "For the Board" in section
    assert "Someone else's" not in section and "Finished row" not in section
    assert "Agree the Board&#x27;s response" in section  # the row's own open action
    # Members do not get the officers' editor.
    assert reverse("plans:plan_detail", kwargs={"slug": rows["plan"].slug}) not in page
    for number in range(6):
        row = make_row(rows["task"], outcome=f"More for BO {number}", responsibility="BO")
        _act(world, rows, row, f"Action {number}", owner=world.people["board"])
    with request_queries() as many:
        page = client.get(url).content.decode()
    assert "Plan rows I answer for (9)" in page and "Meeting actions (7)" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_dashboard_counts_the_rows_a_board_member_answers_for(
    world: Any, client_for: Any, rows: Any
) -> None:
    page = client_for("board").get(reverse("home")).content.decode()
    assert "Plan rows I answer for</a>: 3" in page
    assert "Implementation plan: actions" not in page  # the officers' panel
