"""Contributors answer an update call by spreadsheet: the download holds only their rows; the
upload turns each changed line into a proposal (the plan does not change), all or nothing; a
line for a row not asked of them, a column they may not change, or a closed call refuses it."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import CallRequest, Outcome, Proposal, UpdateCall
from plans.selectors.progress import progress_sheet_file
from tests.plans.factories import make_row
from tests.plans.factories_calls import open_sample_call, sample_proposal
from tests.queries import request_queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(client: Any, call: UpdateCall) -> Any:
    response = client.get(reverse("plans:my_rows_sheet", args=[call.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _lines(book: Any) -> dict[int, dict[str, Any]]:
    header = [cell.value for cell in book.active[1]]
    lines = {}
    for number, values in enumerate(book.active.iter_rows(min_row=2, values_only=True), start=2):
        if values[0] is not None:
            lines[number] = dict(zip(header, values, strict=False))
    return lines


def _set(book: Any, row_id: int, column: str, value: Any) -> None:
    header = [cell.value for cell in book.active[1]]
    for number, line in _lines(book).items():
        if int(line["Row ID"]) == row_id:
            book.active.cell(row=number, column=header.index(column) + 1).value = value
            return
    raise AssertionError(f"row {row_id} not in the sheet")


def _file(book: Any) -> SimpleUploadedFile:
    output = io.BytesIO()
    book.save(output)
    return SimpleUploadedFile("mine.xlsx", output.getvalue(), content_type=XLSX)


def _plan_state(call: UpdateCall) -> list[tuple[Any, ...]]:
    rows = Outcome.objects.filter(plan=call.plan).order_by("pk")
    return list(rows.values_list("pk", "version", "progress", "status", "timescale"))


def _contributor(world: Any) -> Client:
    client = Client()
    client.force_login(world.users["contributor"])
    return client


def test_download_holds_only_my_rows_of_the_call(world: Any) -> None:
    call = open_sample_call(world)
    mine = world.extra["call_rows"][:2]

    book = _download(_contributor(world), call)

    ids = sorted(int(line["Row ID"]) for line in _lines(book).values())
    assert ids == sorted(row.pk for row in mine)  # not Other Person's "Leaflet printed"
    page = _contributor(world).get(reverse("plans:my_rows", args=[call.pk])).content.decode()
    assert reverse("plans:my_rows_sheet", args=[call.pk]) in page
    assert reverse("plans:my_rows_upload", args=[call.pk]) in page


def test_upload_makes_proposals_and_leaves_the_plan_alone(world: Any) -> None:
    call = open_sample_call(world)
    first, second = world.extra["call_rows"][:2]
    client = _contributor(world)
    book = _download(client, call)
    _set(book, first.pk, "Progress", "Agreed by the Board in March")
    _set(book, first.pk, "Status", "Achieved")
    _set(book, second.pk, "Timescale", "June 09")
    before = _plan_state(call)

    response = client.post(reverse("plans:my_rows_upload", args=[call.pk]), {"file": _file(book)})

    assert response.status_code == 302
    assert _plan_state(call) == before  # proposals only
    proposals = {p.outcome_id: p for p in Proposal.objects.filter(call=call)}
    assert proposals[first.pk].progress == "Agreed by the Board in March"
    assert proposals[first.pk].status == "achieved"
    assert proposals[first.pk].base_version == first.version
    assert proposals[first.pk].person == world.people["contributor"]
    assert proposals[second.pk].timescale == "June 09"
    assert proposals[second.pk].progress == second.progress
    page = client.get(response["Location"]).content.decode()
    assert "Proposals saved: 2;" in page


def test_unchanged_cells_keep_my_earlier_proposal(world: Any) -> None:
    proposal = sample_proposal(world)  # progress proposed in the browser
    row = proposal.outcome
    client = _contributor(world)
    book = _download(client, proposal.call)
    _set(book, row.pk, "Timescale", "Next spring")

    response = client.post(
        reverse("plans:my_rows_upload", args=[proposal.call.pk]), {"file": _file(book)}
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.timescale == "Next spring"
    assert proposal.progress == "Drafted and agreed by the Board"
    assert proposal.note == "Agreed on Tuesday"


def test_a_line_not_asked_of_me_refuses_the_whole_sheet(world: Any) -> None:
    call = open_sample_call(world)
    first = world.extra["call_rows"][0]
    others = world.extra["call_rows"][2]  # Other Person's row of the same plan
    client = _contributor(world)
    book = _download(client, call)
    _set(book, first.pk, "Progress", "Mine, fine")
    line = [
        others.pk,
        others.version,
        "",
        "",
        others.outcome,
        others.timescale,
        others.responsibility,
    ]
    line += ["Not mine to say", "In progress"]
    book.active.append(line)
    before = _plan_state(call)

    response = client.post(reverse("plans:my_rows_upload", args=[call.pk]), {"file": _file(book)})

    assert response.status_code == 422
    html = response.content.decode()
    assert f"row {others.pk} was not asked of you in this call" in html
    assert "<td>4</td><td>Row ID</td>" in html.replace("\n", "")
    assert not Proposal.objects.exists()  # all or nothing: the valid line was not proposed
    assert _plan_state(call) == before


def test_a_column_outside_the_proposal_is_refused(world: Any) -> None:
    call = open_sample_call(world)
    first = world.extra["call_rows"][0]
    client = _contributor(world)
    book = _download(client, call)
    _set(book, first.pk, "Outcomes / Indicators", "Rewritten outcome")

    response = client.post(reverse("plans:my_rows_upload", args=[call.pk]), {"file": _file(book)})

    assert response.status_code == 422
    assert "this column cannot be changed here" in response.content.decode()
    assert not Proposal.objects.exists()


def test_after_the_deadline_or_closed_the_upload_is_refused(world: Any) -> None:
    call = open_sample_call(world)
    first = world.extra["call_rows"][0]
    client = _contributor(world)
    book = _download(client, call)
    _set(book, first.pk, "Progress", "Too late")
    UpdateCall.objects.filter(pk=call.pk).update(
        deadline=datetime.date.today() - datetime.timedelta(days=1)
    )
    url = reverse("plans:my_rows_upload", args=[call.pk])

    late = client.post(url, {"file": _file(book)}, follow=True)

    assert late.status_code == 422
    assert "proposals can no longer be sent or changed" in late.content.decode()
    assert "Upload my proposals" not in client.get(url).content.decode()
    assert not Proposal.objects.exists()


def test_another_contributor_gets_404_for_my_call(world: Any) -> None:
    call = open_sample_call(world)
    CallRequest.objects.filter(person=world.people["contributor"]).delete()
    client = _contributor(world)
    assert client.get(reverse("plans:my_rows_sheet", args=[call.pk])).status_code == 404
    assert client.get(reverse("plans:my_rows_upload", args=[call.pk])).status_code == 404


def test_the_download_costs_a_fixed_number_of_queries(world: Any) -> None:
    call = open_sample_call(world)
    client = _contributor(world)
    url = reverse("plans:my_rows_sheet", args=[call.pk])

    def count() -> int:
        with request_queries() as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    task = world.extra["call_rows"][0].task
    for number in range(5):
        row = make_row(task, outcome=f"Extra {number}", responsibility="X6")
        CallRequest.objects.create(call=call, outcome=row, person=world.people["contributor"])
    assert len(_lines(_download(client, call))) == 7
    assert count() == before
    assert before == 11  # session, user, groups, call, person, my rows (4), sheet, ...


def test_the_file_matches_the_selector(world: Any) -> None:
    call = open_sample_call(world)
    mine = Outcome.objects.filter(pk__in=[row.pk for row in world.extra["call_rows"][:2]])
    expected = load_workbook(
        io.BytesIO(progress_sheet_file(call.plan, "xlsx", outcomes=mine).content)
    )
    assert _lines(_download(_contributor(world), call)) == _lines(expected)
