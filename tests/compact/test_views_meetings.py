"""Meeting pages as officers and members use them, with fixed query counts."""

from __future__ import annotations

import datetime

from django.urls import reverse

from compact.models import Meeting, MeetingDeclaration, RotationRule
from compact.services.meetings import (
    action_add,
    agenda_item_add,
    attendance_record,
    declaration_add,
    minutes_save,
    paper_write,
)
from tests.compact.factories import MembershipFactory, make_meeting


def _busy_meeting(world, date, items=3):
    meeting = make_meeting(world.board, date=date)
    for number in range(items):
        item = agenda_item_add(
            meeting=meeting, title=f"Item {number}", presenter=world.people["officer"]
        )
        paper_write(item=item, title=f"Paper {number}", text="Text")
        action_add(
            meeting=meeting, item=item, description=f"Action {number}", owner=world.people["board"]
        )
        declaration_add(meeting=meeting, person=world.people["board"], interest=f"Trustee {number}")
    for role in ("board", "officer"):
        attendance_record(meeting=meeting, person=world.people[role], status="present")
    return meeting


def test_meeting_page_costs_the_same_queries_however_long_the_agenda(
    world, client_for, django_assert_max_num_queries
):
    _busy_meeting(world, datetime.date(2008, 11, 19), items=2)
    short = _busy_meeting(world, datetime.date(2009, 2, 11), items=2)
    long = _busy_meeting(world, datetime.date(2009, 4, 22), items=8)
    client = client_for("officer")
    # 23 with the attendance part (the viewer's person, the members on the date and answers);
    # +1 the actions' links, +3 the minutes laid out by item.
    with django_assert_max_num_queries(27) as short_queries:
        client.get(reverse("compact:meeting_detail", kwargs={"pk": short.pk}))
    with django_assert_max_num_queries(len(short_queries.captured_queries)):
        response = client.get(reverse("compact:meeting_detail", kwargs={"pk": long.pk}))
    page = response.content.decode()
    assert "Item 7" in page and "Action 1" in page  # carried forward from February


def test_programme_page_costs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    for month in (2, 4, 7):
        make_meeting(world.board, date=datetime.date(2009, month, 10))
    client = client_for("board")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("compact:meeting_programme"))
    page = response.content.decode()
    assert "2009: only 3 meetings programmed" in page


def test_officer_programmes_a_meeting_and_an_overlap_is_refused_on_the_form(world, client_for):
    client = client_for("officer")
    data = {
        "body": world.board.pk,
        "date": "2009-02-11",
        "start_time": "10:00",
        "end_time": "12:00",
        "venue": "Ty Dysgu",
    }
    first = client.post(reverse("compact:meeting_create"), data)
    assert first.status_code == 302
    clash = client.post(
        reverse("compact:meeting_create"), {**data, "start_time": "11:00", "end_time": "13:00"}
    )
    assert clash.status_code == 200
    assert "already has a meeting on 11 February 2009 from 10:00 to 12:00" in clash.content.decode()
    assert Meeting.objects.count() == 1


def test_officer_reorders_the_agenda_with_buttons(world, client_for):
    meeting = make_meeting(world.board)
    item = agenda_item_add(meeting=meeting, title="Funding code")
    client = client_for("officer")
    page = client.get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "move Funding code up" in page  # the button names its item for screen readers
    client.post(reverse("compact:agenda_item_move", kwargs={"pk": item.pk}), {"direction": "up"})
    assert list(meeting.items.order_by("position").values_list("title", flat=True)) == [
        "Funding code",
        "WAG policy digest",
    ]


def test_approving_minutes_twice_through_the_page_is_refused_clearly(world, client_for):
    november = make_meeting(world.board, date=datetime.date(2008, 11, 19))
    february = make_meeting(world.board, date=datetime.date(2009, 2, 11))
    minutes_save(meeting=november, text="Agreed")
    client = client_for("officer")
    url = reverse("compact:minutes_move", kwargs={"pk": november.pk})
    client.post(url, {"target": "circulated"})
    client.post(url, {"target": "approved", "at_meeting": february.pk})
    response = client.post(url, {"target": "approved", "at_meeting": february.pk}, follow=True)
    assert "already approved at the meeting of 11 February 2009" in response.content.decode()
    edit = client.post(
        reverse("compact:minutes_edit", kwargs={"pk": november.pk}),
        {"text": "Changed", "version": 1},
    )
    assert "frozen" in edit.content.decode()
    november.minutes.refresh_from_db()
    assert november.minutes.text == "Agreed"


def test_dashboard_reminds_officers_when_rotation_is_due(world, client_for):
    RotationRule.objects.create(body=world.board, rotate_after_months=12)
    MembershipFactory(
        body=world.board,
        person=world.people["officer"],
        role="chair",
        start_date=datetime.date(2008, 4, 1),
    )
    page = client_for("officer").get(reverse("home")).content.decode()
    assert "Rotate after 12 months: due 1 Apr 2009" in page
    assert (
        "Rotation of chair and secretariat"
        not in client_for("board").get(reverse("home")).content.decode()
    )


def test_officer_records_attendance_and_a_declaration_at_the_meeting(world, client_for):
    meeting = make_meeting(world.board)
    client = client_for("officer")
    person = world.people["board"]
    client.post(
        reverse("compact:attendance_record", kwargs={"pk": meeting.pk}),
        {"attendance-person": person.pk, "attendance-status": "apologies"},
    )
    client.post(
        reverse("compact:declaration_add", kwargs={"pk": meeting.pk}),
        {
            "declaration-person": person.pk,
            "declaration-interest": "Trustee of Gurnos Community Group",
        },
    )
    page = client.get(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk})).content.decode()
    # Not a member on that date (the test Board's membership starts in 2020): listed below
    # the members, with no answer to the notice.
    assert (
        'Board Person <span class="fw-normal">(TC)</span></th><td>-</td><td>Apologies</td>' in page
    )
    assert "Board Person: Trustee of Gurnos Community Group" in page
    assert page.count('id="id_attendance-person"') == 1 and 'id="id_person"' not in page


def test_a_declaration_is_recorded_in_the_history_with_its_reason(world, client_for):
    meeting = make_meeting(world.board)
    client_for("officer").post(
        reverse("compact:declaration_add", kwargs={"pk": meeting.pk}),
        {"declaration-person": world.people["board"].pk, "declaration-interest": "Trustee"},
    )
    declaration = MeetingDeclaration.objects.get(meeting=meeting)
    assert declaration.history.get().history_change_reason == "Declaration of interest recorded"


def test_two_officers_editing_minutes_get_a_conflict_not_a_lost_edit(world, client_for):
    """The second save of minutes loaded at an older version shows the shared conflict page
    (both texts, a merge form at the current version) and changes nothing; saving the merge
    keeps both."""
    november = make_meeting(world.board, date=datetime.date(2008, 11, 19))
    minutes_save(meeting=november, text="Apologies: none.")
    url = reverse("compact:minutes_edit", kwargs={"pk": november.pk})
    first, second = client_for("officer"), client_for("officer")
    form_page = first.get(url).content.decode()
    assert 'name="version" value="1"' in form_page

    saved = first.post(url, {"text": "Apologies: none.\nItem 2 agreed.", "version": 1})
    assert saved.status_code == 302
    stale = second.post(url, {"text": "Apologies: BO.", "version": 1})

    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this first" in page
    assert "Apologies: BO." in page and "Item 2 agreed." in page
    assert 'name="version" value="2"' in page
    # Both changed the one field: it is flagged to choose, and the form keeps the editor's text.
    assert "changed by both: choose" in page
    assert "Apologies: BO.</textarea>" in page.split("Merge and save", 1)[1]
    november.minutes.refresh_from_db()
    assert (november.minutes.text, november.minutes.version) == (
        "Apologies: none.\nItem 2 agreed.",
        2,
    )
    merged = second.post(url, {"text": "Apologies: BO.\nItem 2 agreed.", "version": 2})
    assert merged.status_code == 302
    november.minutes.refresh_from_db()
    assert (november.minutes.text, november.minutes.version) == (
        "Apologies: BO.\nItem 2 agreed.",
        3,
    )


def test_a_first_draft_of_minutes_does_not_overwrite_one_saved_meanwhile(world, client_for):
    november = make_meeting(world.board, date=datetime.date(2008, 11, 19))
    url = reverse("compact:minutes_edit", kwargs={"pk": november.pk})
    client = client_for("officer")
    assert 'name="version" value="0"' in client.get(url).content.decode()
    minutes_save(meeting=november, text="Saved by a colleague")
    response = client.post(url, {"text": "My first draft", "version": 0})
    assert response.status_code == 409
    november.minutes.refresh_from_db()
    assert november.minutes.text == "Saved by a colleague"
