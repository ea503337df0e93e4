"""Attendance: members answer the notice (page and one-click link), the officer records who
was present, the quorum flag, and the yearly figures."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from compact.models import Attendance, AttendanceAnswer, Meeting, Membership, Person
from compact.papers.boardpack import pack_contents
from compact.selectors.attendance import attendance_figures, meeting_attendance, meeting_quorum
from compact.services import attendance as services
from compact.services.meetings import meeting_update
from compact.services.packs import board_pack_circulate
from tests.compact.factories import make_meeting
from tests.queries import request_queries


@pytest.fixture(autouse=True)
def board_member_since_2000(world):
    """The test Board's member sits on it from 2000, so the 2009 meetings count them."""
    Membership.objects.filter(person=world.people["board"]).update(
        start_date=datetime.date(2000, 1, 1)
    )


def _soon(days: int = 10) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _member(world, name: str, initials: str, start=datetime.date(2000, 1, 1)) -> Person:
    person = Person.objects.create(full_name=name, initials=initials)
    Membership.objects.create(body=world.board, person=person, start_date=start)
    return person


def _held(world, date=datetime.date(2009, 2, 11)) -> Meeting:
    meeting = make_meeting(world.board, date=date)
    return meeting_update(meeting=meeting, status=Meeting.Status.HELD)


# --- Answering from the meeting page -------------------------------------------------------


def test_member_answers_from_the_meeting_page_with_history(world, client_for):
    meeting = make_meeting(world.board, date=_soon())
    client = client_for("board")
    url = reverse("compact:attendance_answer", kwargs={"pk": meeting.pk})
    client.post(url, {"answer": "substitute", "substitute_name": "Gwen Rees"})
    answer = AttendanceAnswer.objects.get(meeting=meeting, person=world.people["board"])
    assert (answer.answer, answer.substitute_name) == ("substitute", "Gwen Rees")
    client.post(url, {"answer": "apologies", "substitute_name": "ignored"})
    answer.refresh_from_db()
    assert (answer.answer, answer.substitute_name) == ("apologies", "")
    history = list(answer.history.order_by("history_date"))
    assert [h.answer for h in history] == ["substitute", "apologies"]
    assert history[-1].history_user == world.users["board"]
    assert history[-1].history_change_reason == "Answered the meeting notice"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "you answered" in page and "Apologies" in page


def test_a_substitute_must_be_named_and_nothing_changes(world, client_for):
    meeting = make_meeting(world.board, date=_soon())
    client = client_for("board")
    response = client.post(
        reverse("compact:attendance_answer", kwargs={"pk": meeting.pk}),
        {"answer": "substitute", "substitute_name": "  "},
        follow=True,
    )
    assert "Name the person who will attend in your place." in response.content.decode()
    assert not AttendanceAnswer.objects.exists()


def test_someone_who_is_not_a_member_cannot_answer(world, client_for):
    meeting = make_meeting(world.board, date=_soon())
    response = client_for("officer").post(
        reverse("compact:attendance_answer", kwargs={"pk": meeting.pk}),
        {"answer": "attending"},
        follow=True,
    )
    assert "is not a member of Test Compact Board" in response.content.decode()
    assert not AttendanceAnswer.objects.exists()
    with pytest.raises(PermissionDenied):
        services.attendance_answer(
            meeting=meeting,
            person=world.people["board"],
            answer="attending",
            actor=world.users["representative"],
        )


def test_no_answers_after_the_meeting_or_when_cancelled(world):
    past = make_meeting(world.board, date=datetime.date(2009, 2, 11))
    with pytest.raises(ValidationError, match="has taken place"):
        services.attendance_answer(
            meeting=past, person=world.people["board"], answer="attending", actor=None
        )
    cancelled = make_meeting(world.board, date=_soon(), status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_answer(
            meeting=cancelled, person=world.people["board"], answer="attending", actor=None
        )
    assert not AttendanceAnswer.objects.exists()


# --- The one-click link ---------------------------------------------------------------------


def _link(meeting, person) -> str:
    return services.answer_link_path(meeting, person)


def test_link_answers_without_signing_in(world, client):
    meeting = make_meeting(world.board, date=_soon())
    url = _link(meeting, world.people["board"])
    page = client.get(url).content.decode()
    assert "Answering for Board Person" in page
    assert not AttendanceAnswer.objects.exists()  # opening the link changes nothing
    response = client.post(url, {"answer": "attending"})
    assert response.status_code == 200
    assert "is recorded" in response.content.decode()
    answer = AttendanceAnswer.objects.get()
    assert (answer.person, answer.answer) == (world.people["board"], "attending")
    assert answer.history.get().history_change_reason == "Answered from the link in the e-mail"


def test_expired_link_is_refused_and_changes_nothing(world, client, monkeypatch):
    meeting = make_meeting(world.board, date=_soon())
    long_ago = time.time() - services.ANSWER_LINK_MAX_AGE_SECONDS - 60
    monkeypatch.setattr(signing.time, "time", lambda: long_ago)
    url = _link(meeting, world.people["board"])
    monkeypatch.undo()
    response = client.post(url, {"answer": "attending"})
    assert response.status_code == 403
    assert "This link has expired" in response.content.decode()
    assert not AttendanceAnswer.objects.exists()


def test_tampered_link_is_refused_and_changes_nothing(world, client):
    meeting = make_meeting(world.board, date=_soon())
    token = services.answer_token(meeting, world.people["board"])
    other = world.people["officer"]
    forged = signing.dumps({"m": meeting.pk, "p": other.pk}, salt="not-our-salt", compress=True)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        url = reverse("compact:attendance_answer_link", kwargs={"pk": meeting.pk, "token": bad})
        response = client.post(url, {"answer": "attending"})
        assert response.status_code == 403
        assert "This link is not valid" in response.content.decode()
    assert not AttendanceAnswer.objects.exists()


def test_link_for_someone_else_or_another_meeting_is_refused(world, client_for):
    meeting = make_meeting(world.board, date=_soon())
    other_meeting = make_meeting(world.board, date=_soon(20))
    url = _link(meeting, world.people["board"])
    # Signed in as another person: refused, even an officer.
    for role in ("officer", "representative"):
        response = client_for(role).post(url, {"answer": "apologies"})
        assert response.status_code == 403
        assert "sent to someone else" in response.content.decode()
    # The token of one meeting on another meeting's address.
    token = services.answer_token(meeting, world.people["board"])
    response = client_for("anonymous").post(
        reverse("compact:attendance_answer_link", kwargs={"pk": other_meeting.pk, "token": token}),
        {"answer": "apologies"},
    )
    assert response.status_code == 403
    assert "another meeting" in response.content.decode()
    assert not AttendanceAnswer.objects.exists()
    # The member themself, signed in, may use their own link.
    assert client_for("board").post(url, {"answer": "apologies"}).status_code == 200
    assert AttendanceAnswer.objects.get().answer == "apologies"


def test_link_of_someone_no_longer_a_member_is_refused(world, client):
    meeting = make_meeting(world.board, date=_soon())
    Membership.objects.filter(person=world.people["board"]).update(end_date=timezone.localdate())
    response = client.post(_link(meeting, world.people["board"]), {"answer": "attending"})
    assert "is not a member" in response.content.decode()
    assert not AttendanceAnswer.objects.exists()


def test_the_pack_e_mail_carries_each_members_own_link(world, settings):
    settings.SITE_URL = "https://compact.example"
    from compact.models import BoardPack

    meeting = make_meeting(world.board, date=_soon())
    pack = BoardPack.objects.create(
        meeting=meeting, version=1, fingerprint="x", sha256="y", page_count=1, size=1
    )
    with_captured = [world.users["board"], world.users["officer"]]
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        board_pack_circulate(pack=pack, recipients=with_captured, link_for=lambda p: "/p")
    by_to = {message.to[0]: message.body for message in mail.outbox}
    board_mail = by_to[world.users["board"].email]
    assert "https://compact.example/compact/meetings/" in board_mail
    link = next(line for line in board_mail.splitlines() if "/answer/" in line).strip()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert services.person_from_token(token=token, meeting=meeting) == world.people["board"]
    assert "/answer/" not in by_to[world.users["officer"].email]  # not a member


# --- On the day: who was present, the quorum -------------------------------------------------


def test_officer_records_members_and_a_substitute_and_the_quorum_counts_them(world, client_for):
    world.board.quorum = 3
    world.board.save()
    sian = _member(world, "Sian Jones", "SJ")
    dai = _member(world, "Dai Evans", "DE")
    sub = Person.objects.create(full_name="Gwen Rees", initials="GR")
    meeting = _held(world)
    client = client_for("officer")
    url = reverse("compact:attendance_register", kwargs={"pk": meeting.pk})
    page = client.get(url).content.decode()
    assert "Sian Jones" in page and "Dai Evans" in page
    board = world.people["board"]
    response = client.post(
        url,
        {
            f"member_{board.pk}": "present",
            f"member_{sian.pk}": "present",
            f"member_{dai.pk}": "apologies",
            "other_0_person": sub.pk,
            "other_0_for": dai.pk,
            "other_1_person": world.people["officer"].pk,
        },
    )
    assert response.status_code == 302
    rows = {row.person_id: row for row in Attendance.objects.filter(meeting=meeting)}
    assert rows[sub.pk].substitute_for == dai and rows[sub.pk].status == "present"
    assert rows[world.people["officer"].pk].status == "in_attendance"
    assert rows[board.pk].history.get().history_user == world.users["officer"]
    quorum = meeting_quorum(meeting)
    assert (quorum.required, quorum.present, quorum.quorate) == (3, 3, True)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Not quorate" not in page
    assert "substituted by Gwen Rees" in page


def test_a_held_meeting_without_quorum_is_flagged_on_its_page_and_in_the_next_pack(
    world, client_for
):
    world.board.quorum = 2
    world.board.save()
    sian = _member(world, "Sian Jones", "SJ")
    meeting = _held(world)
    services.attendance_register(
        meeting=meeting,
        members={world.people["board"].pk: "present", sian.pk: "absent"},
        actor=world.users["officer"],
    )
    assert meeting_quorum(meeting).not_quorate
    page = client_for("board").get(meeting.get_absolute_url()).content.decode()
    assert "Not quorate" in page
    following = make_meeting(world.board, date=datetime.date(2009, 4, 22))
    assert pack_contents(following).previous_not_quorate is True
    # A planned meeting is never judged.
    planned = make_meeting(world.board, date=datetime.date(2009, 7, 15))
    assert meeting_quorum(planned).quorate is None


def test_register_refuses_bad_rows_and_saves_nothing(world):
    sian = _member(world, "Sian Jones", "SJ")
    meeting = _held(world)
    stranger = Person.objects.create(full_name="Stranger", initials="ST")
    officer = world.users["officer"]
    with pytest.raises(ValidationError, match="nobody can substitute"):
        services.attendance_register(
            meeting=meeting,
            members={sian.pk: "present"},
            others=[(stranger, "present", world.people["officer"])],
            actor=officer,
        )
    with pytest.raises(ValidationError, match="Only members of the body"):
        services.attendance_register(
            meeting=meeting, members={stranger.pk: "present"}, actor=officer
        )
    future = make_meeting(world.board, date=_soon())
    with pytest.raises(ValidationError, match="on or after the day"):
        services.attendance_register(meeting=future, members={sian.pk: "present"}, actor=officer)
    with pytest.raises(PermissionDenied):
        services.attendance_register(
            meeting=meeting, members={sian.pk: "present"}, actor=world.users["board"]
        )
    assert not Attendance.objects.exists()


def test_meeting_attendance_costs_three_queries_however_many_members(
    world, django_assert_num_queries
):
    meeting = _held(world)
    for number in range(6):
        person = _member(world, f"Member {number}", f"M{number}")
        Attendance.objects.create(meeting=meeting, person=person, status="present")
        AttendanceAnswer.objects.create(meeting=meeting, person=person, answer="attending")
    meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
    with django_assert_num_queries(3):
        result = meeting_attendance(meeting)
    assert len(result.members) == 7 and result.quorum.present == 6


# --- Figures ------------------------------------------------------------------------------


def test_figures_per_member_per_year(world):
    sian = _member(world, "Sian Jones", "SJ")
    late = _member(world, "Late Joiner", "LJ", start=datetime.date(2009, 6, 1))
    sub = Person.objects.create(full_name="Gwen Rees", initials="GR")
    february = _held(world, datetime.date(2009, 2, 11))
    july = _held(world, datetime.date(2009, 7, 15))
    _held(world, datetime.date(2008, 11, 19))  # another year
    make_meeting(world.board, date=datetime.date(2009, 11, 18))  # planned: not expected
    board = world.people["board"]
    services.attendance_register(
        meeting=february, members={board.pk: "present", sian.pk: "apologies"}
    )
    services.attendance_register(
        meeting=july,
        members={board.pk: "present", sian.pk: "absent", late.pk: "absent"},
        others=[(sub, "present", sian)],
    )
    figures = {row.person.full_name: row for row in attendance_figures(2009)}
    assert {
        name: (r.expected, r.attended, r.apologies, r.absent) for name, r in figures.items()
    } == {
        "Board Person": (2, 2, 0, 0),
        "Sian Jones": (2, 0, 2, 0),  # apologies in February, a substitute in July
        "Late Joiner": (1, 0, 0, 1),
    }


def test_figures_report_and_csv_cost_fixed_queries(world, client_for):
    def report(client):
        with request_queries() as captured:
            response = client.get(reverse("compact:attendance_report") + "?year=2009")
        return response, len(captured.captured_queries)

    _held(world, datetime.date(2009, 2, 11))
    client = client_for("officer")
    _response, few = report(client)
    for number in range(5):
        person = _member(world, f"=Member {number}", f"M{number}")
        meeting = _held(world, datetime.date(2009, 3, 1 + number))
        Attendance.objects.create(meeting=meeting, person=person, status="present")
    response, many = report(client)
    assert many == few
    assert "=Member 4" in response.content.decode()
    csv = client.get(reverse("compact:attendance_report") + "?year=2009&format=csv")
    text = csv.content.decode()
    assert csv["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == (
        "Body,Member,Organisation,Meetings expected,Attended,Apologies,Absent"
    )
    assert "'=Member 4" in text  # formula escaped
    bad = client.get(reverse("compact:attendance_report") + "?year=nineteen", follow=True)
    assert "Choose a year such as" in bad.content.decode()


def test_the_meeting_page_with_attendance_costs_the_same_queries_with_more_members(
    world, client_for
):
    meeting = _held(world)

    def page_queries() -> int:
        with request_queries() as captured:
            client_for("officer").get(meeting.get_absolute_url())
        return len(captured.captured_queries)

    page_queries()  # warm the per-process caches (content types, sessions)
    few = page_queries()
    for number in range(5):
        person = _member(world, f"Member {number}", f"M{number}")
        Attendance.objects.create(meeting=meeting, person=person, status="present")
    assert page_queries() == few


def test_attendance_pages_in_welsh(world, client_for):
    meeting = make_meeting(world.board, date=_soon())
    client = client_for("officer")
    page = client.get(
        reverse("compact:attendance_report"), HTTP_ACCEPT_LANGUAGE="cy"
    ).content.decode()
    assert "Presenoldeb" in page
    anonymous = client_for("anonymous")
    page = anonymous.get(
        _link(meeting, world.people["board"]), HTTP_ACCEPT_LANGUAGE="cy"
    ).content.decode()
    assert "Ateb yr hysbysiad" in page
