"""Update call pages: My rows shows only the contributor's rows and saves proposals without
touching the plan; another contributor gets nothing of theirs; officers review, accept,
return and see conflicts; pages cost a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from compact.services.meetings import meeting_create
from plans.models import CallRequest, Outcome, Proposal, RowContributors
from tests.plans.factories import edit_progress, issue, make_row
from tests.plans.factories_calls import call_plan, open_sample_call, sample_proposal
from tests.queries import request_queries


def _propose_data(row: Outcome, progress: str, status: str = "in_progress") -> dict[str, Any]:
    prefix = f"row{row.pk}"
    return {
        f"{prefix}-progress": progress,
        f"{prefix}-status": status,
        f"{prefix}-timescale": row.timescale,
        f"{prefix}-base_version": row.version,
    }


def test_my_rows_lists_only_my_rows_with_current_and_issued_text(
    world: Any, client_for: Any
) -> None:
    data = call_plan(world)
    issue(data["call_plan"], actor=world.users["officer"])
    edit_progress(data["call_rows"][0], "Drafted, then revised")
    call = open_sample_call(world)

    page = client_for("contributor").get(reverse("plans:my_rows", args=[call.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Terms agreed" in html and "Members named" in html
    assert "Leaflet printed" not in html  # Other Person's row only
    assert "Drafted, then revised" in html  # current
    assert "Last issued" in html and ">Drafted<" in html.replace("\n", "")  # as issued


def test_saving_a_proposal_changes_nothing_in_the_plan(world: Any, client_for: Any) -> None:
    call = open_sample_call(world)
    row = world.extra["call_rows"][0]

    response = client_for("contributor").post(
        reverse("plans:my_row_propose", args=[call.pk, row.pk]),
        _propose_data(row, "Agreed by the Board"),
    )

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.progress == "Agreed by the Board"
    row.refresh_from_db()
    assert (row.progress, row.version) == ("Drafted", 1)


def test_bad_status_is_refused_with_a_message_and_nothing_saved(
    world: Any, client_for: Any
) -> None:
    call = open_sample_call(world)
    row = world.extra["call_rows"][0]
    data = _propose_data(row, "x")
    data[f"row{row.pk}-status"] = "finished"

    response = client_for("contributor").post(
        reverse("plans:my_row_propose", args=[call.pk, row.pk]), data
    )

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Proposal.objects.exists()


def test_another_contributor_cannot_see_or_answer_my_rows(world: Any, client: Any) -> None:
    proposal = sample_proposal(world)
    call = proposal.call
    other = world.extra["other_person"]
    other.refresh_from_db()
    client.force_login(other.user)  # a Contributor made by the call
    mine_only = world.extra["call_rows"][0]

    page = client.get(reverse("plans:my_rows", args=[call.pk]))
    assert "Leaflet printed" in page.content.decode()
    assert "Terms agreed" not in page.content.decode()
    answer = client.post(
        reverse("plans:my_row_propose", args=[call.pk, mine_only.pk]),
        _propose_data(mine_only, "Not mine"),
    )
    assert answer.status_code == 404
    review = client.get(reverse("plans:proposal_review", args=[proposal.pk]))
    assert review.status_code == 403
    proposal.refresh_from_db()
    assert proposal.progress == "Drafted and agreed by the Board"


def test_a_contributor_not_asked_in_a_call_gets_404(world: Any, client: Any) -> None:
    call = open_sample_call(world)
    CallRequest.objects.filter(person=world.people["contributor"]).delete()
    client.force_login(world.users["contributor"])
    assert client.get(reverse("plans:my_rows", args=[call.pk])).status_code == 404


def test_after_the_deadline_my_rows_is_read_only(world: Any, client_for: Any) -> None:
    proposal = sample_proposal(world)
    call = proposal.call
    call.deadline = timezone.localdate() - datetime.timedelta(days=1)
    call.save()
    client = client_for("contributor")

    page = client.get(reverse("plans:my_rows", args=[call.pk]))
    assert "read-only" in page.content.decode()
    assert "Send my progress" not in page.content.decode()
    row = proposal.outcome
    late = client.post(
        reverse("plans:my_row_propose", args=[call.pk, row.pk]), _propose_data(row, "Late")
    )
    assert late.status_code == 422
    assert "can no longer be changed" in late.content.decode()


def test_review_queue_shows_completeness_and_changes_in_blue(world: Any, client_for: Any) -> None:
    proposal = sample_proposal(world)

    page = client_for("officer").get(reverse("plans:call_detail", args=[proposal.call_id]))

    html = page.content.decode()
    assert "1 of 3 rows answered" in html
    assert "<ins> and agreed by the Board</ins>" in html
    assert "<del>Not started</del>" in html and "<ins>Achieved</ins>" in html


def test_officer_accepts_from_the_review_page(world: Any, client_for: Any) -> None:
    proposal = sample_proposal(world)
    row = proposal.outcome
    data = {**proposal.values(), "version": row.version, "action": "accept"}

    response = client_for("officer").post(
        reverse("plans:proposal_review", args=[proposal.pk]), data
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.progress, row.status) == ("Drafted and agreed by the Board", "achieved")
    reason = row.history.first().history_change_reason
    assert reason.startswith("Progress from Contributor Person (update call 1), accepted by")


def test_a_changed_row_is_shown_as_a_merge_and_saving_it_keeps_both(
    world: Any, client_for: Any
) -> None:
    proposal = sample_proposal(world)
    row = edit_progress(proposal.outcome, "Drafted", timescale="March 2009")
    client = client_for("officer")

    page = client.get(reverse("plans:proposal_review", args=[proposal.pk]))
    html = page.content.decode()
    assert "changed after the contributor saw it" in html
    assert "changed since (kept)" in html and "proposed (kept)" in html
    # The merge form holds both sides, at the row's current version.
    form = page.context["form"]
    data = {**form.initial, "action": "accept"}
    assert data["timescale"] == "March 2009" and data["version"] == row.version

    saved = client.post(reverse("plans:proposal_review", args=[proposal.pk]), data)

    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.progress, row.timescale) == ("Drafted and agreed by the Board", "March 2009")


def test_return_needs_a_comment(world: Any, client_for: Any) -> None:
    proposal = sample_proposal(world)
    client = client_for("officer")
    url = reverse("plans:proposal_review", args=[proposal.pk])

    empty = client.post(url, {"action": "return", "return-comment": ""})
    assert empty.status_code == 422
    done = client.post(url, {"action": "return", "return-comment": "Which meeting?"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.comment) == (Proposal.State.RETURNED, "Which meeting?")


def test_closed_call_offers_the_next_update(world: Any, client_for: Any) -> None:
    call = open_sample_call(world)
    client = client_for("officer")
    client.post(reverse("plans:call_close", args=[call.pk]))

    page = client.get(reverse("plans:call_detail", args=[call.pk]))

    assert "Issue Update 1" in page.content.decode()
    assert reverse("plans:update_issue", args=[call.plan.slug]) in page.content.decode()


def test_meeting_page_offers_a_call_to_officers_only(world: Any, client_for: Any) -> None:
    call_plan(world)
    meeting = meeting_create(
        body=world.board,
        date=timezone.localdate() + datetime.timedelta(days=42),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue="Ty Dysgu",
        actor=world.users["officer"],
    )
    url = reverse("compact:meeting_detail", args=[meeting.pk])

    officer_page = client_for("officer").get(url).content.decode()
    board_page = client_for("board").get(url).content.decode()

    assert "Open an update call" in officer_page
    assert f"?meeting={meeting.pk}" in officer_page
    assert "Open an update call" not in board_page


def test_officer_confirms_who_answers_for_an_objectives_rows(world: Any, client_for: Any) -> None:
    data = call_plan(world)
    row = data["call_rows"][2]  # "OP": suggested from the text, not yet confirmed
    objective = row.task.objective
    client = client_for("officer")
    url = reverse("plans:row_contributors", args=[data["call_plan"].slug])

    page = client.get(url, {"objective": objective.pk})
    assert "suggested" in page.content.decode()
    client.post(
        url,
        {
            "objective": objective.pk,
            f"people_{row.pk}": [world.people["board"].pk],
            f"organisations_{row.pk}": [world.public_org.pk],
        },
    )

    link = RowContributors.objects.get(outcome=row)
    assert list(link.people.all()) == [world.people["board"]]
    assert list(link.organisations.all()) == [world.public_org]


def _count(client: Any, url: str) -> int:
    with request_queries() as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_rows_and_review_queue_cost_a_fixed_number_of_queries(world: Any) -> None:
    proposal = sample_proposal(world)
    call = proposal.call
    officer, contributor = Client(), Client()
    officer.force_login(world.users["officer"])
    contributor.force_login(world.users["contributor"])
    queue_url = reverse("plans:call_detail", args=[call.pk])
    mine_url = reverse("plans:my_rows", args=[call.pk])
    before = (_count(officer, queue_url), _count(contributor, mine_url))

    # Five more rows asked of the contributor, each answered.
    task = world.extra["call_rows"][0].task
    for number in range(5):
        row = make_row(task, outcome=f"Extra {number}", responsibility="X6")
        CallRequest.objects.create(call=call, outcome=row, person=world.people["contributor"])
        Proposal.objects.create(
            call=call,
            outcome=row,
            person=world.people["contributor"],
            progress=f"Extra progress {number}",
            status="in_progress",
            base_version=row.version,
        )

    assert "Extra progress 4" in contributor.get(mine_url).content.decode()
    after = (_count(officer, queue_url), _count(contributor, mine_url))
    assert after == before
    # The review queue: session, user, groups, the call, requests, proposals, latest update...
    assert before == (9, 10)
