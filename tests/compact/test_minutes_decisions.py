"""Minutes item by item (issue 16): decisions numbered per year, the minutes' procedure
(draft -> circulated -> approved -> signed), frozen minutes and amendments, the decisions
register and its access, action links, standard agenda items and the pack."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from compact import minutes_procedure as procedure
from compact.links import ActionLinkTarget
from compact.minutes_procedure import MinutesStatus
from compact.models import (
    AgendaItem,
    Body,
    Decision,
    DecisionNumber,
    Membership,
    Minutes,
    MinutesAmendment,
    StandardItem,
)
from compact.platform import registry
from compact.services.meetings import (
    action_add,
    agenda_item_add,
    standard_items_set,
)
from compact.services.minutes import (
    decision_delete,
    decision_record,
    decision_update,
    item_minutes_save,
    minutes_amend,
    minutes_move,
    minutes_save,
)
from compact.services.packs import board_pack_build
from tests.compact.factories import make_meeting
from tests.queries import request_queries

NOV = datetime.date(2008, 11, 19)
FEB = datetime.date(2009, 2, 11)
APR = datetime.date(2009, 4, 22)


def _held(world, date=NOV, items=("Plan update", "Funding code")):
    meeting = make_meeting(world.board, date=date)
    made = [agenda_item_add(meeting=meeting, title=title) for title in items]
    return meeting, made


def _move(minutes, target, **extra):
    return minutes_move(minutes=minutes, target=target, **extra)


# --- Numbering ----------------------------------------------------------------------------


def test_decisions_are_numbered_per_year_on_circulation_in_agenda_order(world):
    meeting, (plan, funding) = _held(world, date=FEB)
    make_meeting(world.board, date=APR)
    officer = world.users["officer"]
    second = decision_record(item=funding, text="Adopt the funding code", actor=officer)
    first = decision_record(item=plan, text="Note the plan update", actor=officer)
    assert (first.number, second.number) == ("", "")  # drafts wait for circulation

    minutes = Minutes.objects.get(meeting=meeting)
    _move(minutes, MinutesStatus.CIRCULATED, actor=officer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == ("2009/1", "2009/2")  # agenda order, not entry
    late = decision_record(item=plan, text="Thank the secretariat", actor=officer)
    assert late.number == "2009/3"  # recorded in circulated minutes: numbered at once


def test_numbers_continue_across_bodies_and_meetings_and_restart_each_year(world):
    officer = world.users["officer"]
    _november, (nov_item,) = _held(world, date=NOV, items=("Plan",))
    _february, (feb_item,) = _held(world, date=FEB, items=("Plan",))
    group = Body.objects.create(
        compact=world.compact, name="Officers Group", slug="og", kind=Body.Kind.OFFICERS_GROUP
    )
    april = make_meeting(group, date=APR)
    april_item = agenda_item_add(meeting=april, title="Budget")
    for item in (nov_item, feb_item, april_item):
        decision_record(item=item, text="Agreed", actor=officer)
        _move(Minutes.objects.get(meeting=item.meeting), MinutesStatus.CIRCULATED, actor=officer)
    numbers = sorted(Decision.objects.values_list("year", "sequence"))
    assert numbers == [(2008, 1), (2009, 1), (2009, 2)]


def test_a_numbered_decision_is_never_removed_and_its_number_never_reused(world):
    officer = world.users["officer"]
    meeting, (plan, _funding) = _held(world)
    make_meeting(world.board, date=FEB)
    draft = decision_record(item=plan, text="Drafted, then dropped", actor=officer)
    decision_delete(decision=draft, actor=officer)  # a draft's decision may go
    kept = decision_record(item=plan, text="Agreed", actor=officer)
    minutes = Minutes.objects.get(meeting=meeting)
    _move(minutes, MinutesStatus.CIRCULATED, actor=officer)
    kept.refresh_from_db()
    assert kept.number == "2008/1"

    with pytest.raises(ValidationError, match="2008/1 has been circulated"):
        decision_delete(decision=kept, actor=officer)
    # Withdrawn for redrafting and circulated again: the number stays, new ones follow on.
    _move(minutes, MinutesStatus.DRAFT, actor=officer)
    decision_update(decision=kept, text="Agreed as amended", actor=officer)
    added = decision_record(item=plan, text="Another", actor=officer)
    _move(minutes, MinutesStatus.CIRCULATED, actor=officer)
    kept.refresh_from_db()
    added.refresh_from_db()
    assert (kept.number, kept.text, added.number) == ("2008/1", "Agreed as amended", "2008/2")
    assert DecisionNumber.objects.get(year=2008).last == 2
    # The database refuses a second decision with a given number.
    clash = Decision(minutes=minutes, text="Clash", year=2008, sequence=1)
    with pytest.raises(ValidationError, match="already given"):
        clash.full_clean()


# --- States -------------------------------------------------------------------------------


def test_the_procedure_refuses_every_move_it_does_not_list(world):
    officer = world.users["officer"]
    meeting, (_plan, _funding) = _held(world)
    february = make_meeting(world.board, date=FEB)
    minutes = minutes_save(meeting=meeting, text="General", actor=officer)
    with pytest.raises(ValidationError, match="Circulate the draft minutes before"):
        _move(minutes, MinutesStatus.APPROVED, actor=officer)
    with pytest.raises(ValidationError, match="signed once they are approved"):
        _move(minutes, MinutesStatus.SIGNED, actor=officer)
    with pytest.raises(PermissionDenied):
        _move(minutes, MinutesStatus.CIRCULATED, actor=world.users["board"])

    minutes = _move(minutes, MinutesStatus.CIRCULATED, actor=officer)
    assert minutes.circulated_by == officer and minutes.circulated_on is not None
    minutes = _move(minutes, MinutesStatus.APPROVED, at_meeting=february, actor=officer)
    assert minutes.approved_at_meeting == february and minutes.approved_by == officer
    with pytest.raises(ValidationError, match="cannot be moved to circulated"):
        _move(minutes, MinutesStatus.CIRCULATED, actor=officer)
    minutes = _move(minutes, MinutesStatus.SIGNED, actor=officer)
    assert minutes.status == MinutesStatus.SIGNED and minutes.is_approved
    with pytest.raises(ValidationError, match="already approved at the meeting of 11 February"):
        _move(minutes, MinutesStatus.APPROVED, actor=officer)
    # Every move made is one row of the table, and the history keeps each state.
    assert {(t.source, t.target) for t in procedure.TRANSITIONS.values()} == {
        ("draft", "circulated"),
        ("circulated", "draft"),
        ("circulated", "approved"),
        ("approved", "signed"),
    }
    assert [h.status for h in minutes.history.order_by("history_date", "history_id")] == [
        "draft",
        "circulated",
        "approved",
        "signed",
    ]


def test_minutes_are_approved_only_at_a_later_meeting_of_the_same_body(world):
    officer = world.users["officer"]
    meeting, _items = _held(world, date=FEB)
    minutes = _move(minutes_save(meeting=meeting, text="Text"), MinutesStatus.CIRCULATED)
    with pytest.raises(ValidationError, match="programme it first"):
        _move(minutes, MinutesStatus.APPROVED, actor=officer)
    earlier = make_meeting(world.board, date=NOV)
    with pytest.raises(ValidationError, match="later meeting of the same body"):
        _move(minutes, MinutesStatus.APPROVED, at_meeting=earlier, actor=officer)
    other = Body.objects.create(
        compact=world.compact, name="Other", slug="other", kind=Body.Kind.TASK_GROUP
    )
    with pytest.raises(ValidationError, match="later meeting of the same body"):
        _move(minutes, MinutesStatus.APPROVED, at_meeting=make_meeting(other, date=APR))
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.CIRCULATED


def test_meeting_page_lists_the_moves_from_the_procedure_table(world, client_for):
    meeting, (plan, _funding) = _held(world)
    make_meeting(world.board, date=FEB)
    item_minutes_save(item=plan, discussion="The officer presented the update.")
    client = client_for("officer")
    url = reverse("compact:meeting_detail", kwargs={"pk": meeting.pk})
    page = client.get(url).content.decode()
    assert "Circulate the minutes" in page and "Approve at the meeting" not in page
    move = reverse("compact:minutes_move", kwargs={"pk": meeting.pk})
    client.post(move, {"target": "circulated"})
    page = client.get(url).content.decode()
    assert (
        "Withdraw for redrafting" in page and "Approve at the meeting of 11 February 2009" in page
    )
    response = client.post(move, {"target": "signed"}, follow=True)
    assert "Minutes are signed once they are approved." in response.content.decode()


# --- Writing item by item, frozen minutes and amendments -----------------------------------


def test_minutes_are_written_item_by_item_and_members_read_them_once_circulated(world, client_for):
    meeting, (plan, funding) = _held(world)
    make_meeting(world.board, date=FEB)
    officer = world.users["officer"]
    item_minutes_save(item=plan, discussion="Discussed <b>the plan</b>.", actor=officer)
    decision_record(item=funding, text="Adopt the code", actor=officer)
    action_add(
        meeting=meeting,
        item=funding,
        description="Publish the code",
        owner=world.people["officer"],
        due_date=datetime.date(2009, 1, 31),
        actor=officer,
    )
    url = reverse("compact:meeting_detail", kwargs={"pk": meeting.pk})
    member = client_for("board")
    assert "Discussed" not in member.get(url).content.decode()
    _move(Minutes.objects.get(meeting=meeting), MinutesStatus.CIRCULATED, actor=officer)
    page = member.get(url).content.decode()
    assert "Discussed &lt;b&gt;the plan&lt;/b&gt;." in page  # escaped
    assert "2008/1" in page and "Adopt the code" in page
    # The Board's agenda opens with its standing WAG digest: item 1.
    assert page.index("2. Plan update") < page.index("3. Funding code") < page.index("2008/1")
    assert "Publish the code" in page


def test_an_item_saved_at_a_stale_version_gets_the_conflict_page(world, client_for):
    _meeting, (plan, _funding) = _held(world)
    item_minutes_save(item=plan, discussion="First")
    item_minutes_save(item=plan, discussion="Second", expected_version=1)
    client = client_for("officer")
    url = reverse("compact:item_minutes_edit", kwargs={"pk": plan.pk})
    response = client.post(url, {"discussion": "Mine", "version": 1})
    assert response.status_code == 409 and "Mine" in response.content.decode()
    assert plan.minuted.get().discussion == "Second"


def test_approved_minutes_are_frozen_and_corrected_by_recorded_amendments(world, client_for):
    meeting, (plan, _funding) = _held(world)
    february = make_meeting(world.board, date=FEB)
    officer = world.users["officer"]
    item_minutes_save(item=plan, discussion="Ten members attended.", actor=officer)
    minutes = Minutes.objects.get(meeting=meeting)
    with pytest.raises(ValidationError, match="not approved yet"):
        minutes_amend(minutes=minutes, text="x", reason="y", actor=officer)
    _move(minutes, MinutesStatus.CIRCULATED, actor=officer)
    _move(minutes, MinutesStatus.APPROVED, at_meeting=february, actor=officer)

    with pytest.raises(ValidationError, match="frozen"):
        item_minutes_save(item=plan, discussion="Eleven members attended.", actor=officer)
    with pytest.raises(ValidationError, match="frozen"):
        minutes_save(meeting=meeting, text="Rewritten", actor=officer)
    with pytest.raises(ValidationError, match="frozen"):
        decision_record(item=plan, text="Late decision", actor=officer)
    with pytest.raises(ValidationError) as refused:
        minutes_amend(minutes=minutes, text="Eleven members attended.", reason="", actor=officer)
    assert "Say why" in str(refused.value)
    assert not MinutesAmendment.objects.exists()

    amendment = minutes_amend(
        minutes=minutes,
        item=plan,
        text="Eleven members attended.",
        reason="Miscounted",
        actor=officer,
    )
    assert (amendment.made_by, amendment.reason) == (officer, "Miscounted")
    assert plan.minuted.get().discussion == "Ten members attended."  # the approved text stays
    page = client_for("board").get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk}))
    text = page.content.decode()
    assert "Ten members attended." in text and "Eleven members attended." in text
    assert "Amendment" in text and "Miscounted" in text


def test_minutes_written_before_items_keep_their_text_as_general_minutes(world, client_for):
    meeting, _items = _held(world)
    make_meeting(world.board, date=FEB)
    minutes = Minutes.objects.create(meeting=meeting, text="The old single text.")
    _move(minutes, MinutesStatus.CIRCULATED)
    page = client_for("board").get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk}))
    text = page.content.decode()
    assert "General minutes" in text and "The old single text." in text


# --- Actions linked to other apps' rows -----------------------------------------------------


def test_an_action_links_to_registered_rows_without_compact_importing_them(world, client_for):
    rows = {7: ("Row 7: publish the Compact", "/plans/rows/7/")}
    target = ActionLinkTarget(
        key="tests.rows",
        label="Test rows",
        choices=lambda: [(pk, label) for pk, (label, _url) in rows.items()],
        describe=lambda ids: {pk: rows[pk] for pk in ids if pk in rows},
    )
    meeting, (plan, _funding) = _held(world)
    with registry.overridden(target, only=True):
        with pytest.raises(ValidationError, match="no longer exists"):
            action_add(
                meeting=meeting,
                description="Nowhere",
                owner=world.people["officer"],
                links=[("tests.rows", 99)],
            )
        client = client_for("officer")
        response = client.post(
            reverse("compact:action_create", kwargs={"pk": meeting.pk}),
            {
                "description": "Publish it",
                "owner": world.people["officer"].pk,
                "item": plan.pk,
                "links": ["tests.rows:7"],
            },
        )
        assert response.status_code == 302
        page = client.get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk}))
        assert 'href="/plans/rows/7/"' in page.content.decode()


# --- The decisions register -----------------------------------------------------------------


@pytest.fixture
def register(world):
    """Board decisions in 2008 and 2009, and one of a body the board member does not sit on."""
    officer = world.users["officer"]
    _november, (nov_item,) = _held(world, date=NOV, items=("Funding",))
    _february, (feb_item,) = _held(world, date=FEB, items=("Plan",))
    private = Body.objects.create(
        compact=world.compact, name="Scrutiny Panel", slug="scrutiny", kind=Body.Kind.SCRUTINY
    )
    hidden = make_meeting(private, date=FEB)
    hidden_item = agenda_item_add(meeting=hidden, title="Complaint")
    for item, text in (
        (nov_item, "Adopt the funding code"),
        (feb_item, "=HYPERLINK(1) Note the plan"),
        (hidden_item, "Uphold the confidential complaint"),
    ):
        decision_record(item=item, text=text, actor=officer)
        _move(Minutes.objects.get(meeting=item.meeting), MinutesStatus.CIRCULATED, actor=officer)
    decision_record(item=feb_item, text="Drafted after circulation is numbered too")
    _draft_meeting, (draft_item,) = _held(world, date=APR, items=("Draft",))
    decision_record(item=draft_item, text="Unnumbered draft decision")
    return private


def test_register_lists_numbered_decisions_and_filters_by_body_year_and_words(
    world, client_for, register
):
    client = client_for("officer")
    url = reverse("compact:decision_register")
    page = client.get(url).content.decode()
    assert "2008/1" in page and "2009/1" in page and "Uphold the confidential" in page
    assert "Unnumbered draft decision" not in page  # drafts are not decisions yet
    page = client.get(url, {"year": 2008}).content.decode()
    assert "Adopt the funding code" in page and "Note the plan" not in page
    page = client.get(url, {"body": "scrutiny"}).content.decode()
    assert "Uphold the confidential" in page and "Adopt the funding" not in page
    page = client.get(url, {"q": "funding CODE"}).content.decode()
    assert "Adopt the funding code" in page and "Note the plan" not in page


def test_a_private_bodys_decisions_are_hidden_from_those_who_cannot_see_it(
    world, client_for, register
):
    client = client_for("board")
    url = reverse("compact:decision_register")
    page = client.get(url).content.decode()
    assert "Adopt the funding code" in page and "Uphold the confidential" not in page
    assert "Scrutiny Panel" not in page  # not even offered in the filter
    response = client.get(reverse("compact:decision_register_csv"))
    assert "confidential" not in response.content.decode()
    # Asking for the hidden body by name shows the form's refusal, never its decisions.
    page = client.get(url, {"body": "scrutiny"}).content.decode()
    assert "Uphold the confidential" not in page
    representative = client_for("representative").get(url).content.decode()
    assert "Adopt the funding code" not in representative
    # A former member sees the decisions of the meetings held while they sat, as the meetings.
    Membership.objects.create(
        body=world.board,
        person=world.people["representative"],
        start_date=datetime.date(2008, 1, 1),
        end_date=datetime.date(2008, 12, 31),
    )
    former = client_for("representative").get(url).content.decode()
    assert "Adopt the funding code" in former and "Note the plan" not in former


def test_register_csv_escapes_formulas_and_costs_fixed_queries(world, client_for, register):
    client = client_for("officer")
    with request_queries() as captured:
        response = client.get(reverse("compact:decision_register_csv"), {"year": 2009})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Number", "Date", "Body"]
    cells = [row[4] for row in rows[1:]]
    assert "'=HYPERLINK(1) Note the plan" in cells
    few = len(captured.captured_queries)
    officer = world.users["officer"]
    more, (item,) = _held(world, date=datetime.date(2009, 6, 1), items=("More",))
    for number in range(5):
        decision_record(item=item, text=f"Extra {number}", actor=officer)
    _move(Minutes.objects.get(meeting=more), MinutesStatus.CIRCULATED, actor=officer)
    with request_queries() as captured:
        client.get(reverse("compact:decision_register"))
    page_queries = len(captured.captured_queries)
    with request_queries() as captured:
        client.get(reverse("compact:decision_register_csv"), {"year": 2009})
    assert len(captured.captured_queries) == few
    assert page_queries <= few + 2


# --- Standard agenda items ----------------------------------------------------------------


def test_standard_items_open_and_close_each_new_agenda_of_the_body(world, client_for):
    with pytest.raises(ValidationError, match="Unknown standard items"):
        standard_items_set(body=world.board, kinds=["tea"])
    client = client_for("officer")
    response = client.post(
        reverse("compact:standard_items_edit", kwargs={"slug": world.board.slug}),
        {"standard_items": ["next_meeting", "apologies", "minutes", "other_business"]},
    )
    assert response.status_code == 302
    meeting = make_meeting(world.board, date=FEB)
    titles = list(meeting.items.order_by("position").values_list("title", "standard_kind"))
    assert titles == [
        ("Apologies", "apologies"),
        ("Minutes of the last meeting", "minutes"),
        ("WAG policy digest", ""),
        ("Any other business", "other_business"),
        ("Date of the next meeting", "next_meeting"),
    ]
    assert AgendaItem.objects.get(meeting=meeting, standard_kind="minutes").purpose == "decision"


def test_the_pack_carries_the_previous_minutes_under_the_minutes_item(world):
    standard_items_set(body=world.board, kinds=list(StandardItem.values))
    november, (plan,) = _held(world, date=NOV, items=("Plan update",))
    february = make_meeting(world.board, date=FEB)
    item_minutes_save(item=plan, discussion="The Board discussed the plan.")
    decision_record(item=plan, text="Approve the plan update")
    _move(Minutes.objects.get(meeting=november), MinutesStatus.CIRCULATED)

    pack, built = board_pack_build(meeting=february)

    assert built
    with pack.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    outline = [
        entry if not isinstance(entry, list) else [child.title for child in entry]
        for entry in reader.outline
    ]
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    minutes_index = titles.index("3. Minutes of the last meeting")
    assert outline[minutes_index + 1] == ["Minutes of the previous meeting (19 November 2008)"]
    assert "Action log" in titles
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert "Decision2008/1:Approvetheplanupdate" in text
    assert "TheBoarddiscussedtheplan." in text and "DRAFT-forapprovalatthismeeting." in text
    assert "Paper:Minutesofthepreviousmeeting(19November2008)" in text  # on the agenda
    assert "Dateofthenextmeeting" in text and "Anyotherbusiness" in text


def test_a_minuted_item_stays_on_the_agenda(world, client_for):
    meeting, (plan, funding) = _held(world)
    decision_record(item=plan, text="Agreed")
    client = client_for("officer")
    response = client.post(
        reverse("compact:agenda_item_delete", kwargs={"pk": plan.pk}), follow=True
    )
    assert "Plan update is in the minutes of the meeting" in response.content.decode()
    client.post(reverse("compact:agenda_item_delete", kwargs={"pk": funding.pk}))
    assert list(meeting.items.values_list("title", flat=True)) == [
        "WAG policy digest",
        "Plan update",
    ]


def test_the_minutes_item_points_at_the_previous_minutes(world, client_for):
    standard_items_set(body=world.board, kinds=[StandardItem.MINUTES])
    november = make_meeting(world.board, date=NOV)
    february = make_meeting(world.board, date=FEB)
    client = client_for("officer")
    url = reverse("compact:meeting_detail", kwargs={"pk": february.pk})
    assert "minutes of the meeting of 19 November 2008 are not written yet" in (
        client.get(url).content.decode()
    )
    minutes_save(meeting=november, text="Held.")
    page = client.get(url).content.decode()
    link = reverse("compact:meeting_detail", kwargs={"pk": november.pk}) + "#minutes"
    assert f'href="{link}">Minutes of the meeting of 19 November 2008</a>' in page


def test_the_register_and_the_minutes_read_in_welsh(world, client_for, register, settings):
    client = client_for("board")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("compact:decision_register")).content.decode()
    assert "Cofrestr penderfyniadau" in page and "Lawrlwytho CSV" in page
    february = Minutes.objects.get(meeting__date=FEB, meeting__body=world.board).meeting
    page = client.get(reverse("compact:meeting_detail", kwargs={"pk": february.pk}))
    text = page.content.decode()
    assert "Penderfyniadau" in text and "Wedi&#x27;u dosbarthu" in text


def test_decisions_are_searchable_and_hidden_while_withdrawn_for_redrafting(world, client_for):
    meeting, (plan, _funding) = _held(world, date=FEB)
    decision_record(item=plan, text="Fund the lighthouse project")
    minutes = _move(Minutes.objects.get(meeting=meeting), MinutesStatus.CIRCULATED)
    member = client_for("board")
    search = member.get(reverse("compact:search"), {"q": "lighthouse"}).content.decode()
    assert "2009/1" in search and f"#decision-{Decision.objects.get().pk}" in search
    _move(minutes, MinutesStatus.DRAFT)
    register_page = member.get(reverse("compact:decision_register")).content.decode()
    assert "Fund the lighthouse project" not in register_page
    assert (
        "2009/1" not in member.get(reverse("compact:search"), {"q": "lighthouse"}).content.decode()
    )
    officer_page = client_for("officer").get(reverse("compact:decision_register")).content.decode()
    assert "Fund the lighthouse project" in officer_page
