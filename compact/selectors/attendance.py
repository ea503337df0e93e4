"""Reads for attendance: a meeting's members with their answers and who was present, the
quorum, and each member's attendance figures for a year. Each a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from compact.models import Attendance, AttendanceAnswer, Meeting, Membership, Person
from compact.selectors import person_of


@dataclass
class MemberRow:
    person: Person
    role: str
    answer: AttendanceAnswer | None = None
    attendance: Attendance | None = None
    substituted_by: list[Person] = field(default_factory=list)


@dataclass
class Quorum:
    required: int
    present: int
    # None: no quorum is set for the body, or nothing to judge yet (not held).
    quorate: bool | None

    @property
    def not_quorate(self) -> bool:
        return self.quorate is False


@dataclass
class MeetingAttendance:
    members: list[MemberRow]
    others: list[Attendance]
    quorum: Quorum
    # The viewer's own row when they are a member (they answer the notice there).
    mine: MemberRow | None = None


def _members_on(meeting: Meeting) -> list[Membership]:
    return list(
        Membership.objects.filter(body_id=meeting.body_id, start_date__lte=meeting.date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=meeting.date))
        .select_related("person", "person__organisation")
        .order_by("person__full_name", "pk")
    )


def quorum_of(meeting: Meeting, member_ids: set[int], attendance: list[Attendance]) -> Quorum:
    """Members present in person or through a substitute, against the body's quorum."""
    counted = {
        row.substitute_for_id if row.substitute_for_id else row.person_id
        for row in attendance
        if row.status == Attendance.Status.PRESENT
    }
    present = len(counted & member_ids)
    required = meeting.body.quorum
    quorate = None
    if required and meeting.status == Meeting.Status.HELD:
        quorate = present >= required
    return Quorum(required=required, present=present, quorate=quorate)


def meeting_quorum(meeting: Meeting) -> Quorum:
    """Two queries: the members on the date and the attendance."""
    member_ids = {membership.person_id for membership in _members_on(meeting)}
    return quorum_of(meeting, member_ids, list(Attendance.objects.filter(meeting=meeting)))


def meeting_attendance(meeting: Meeting, *, viewer: Person | None = None) -> MeetingAttendance:
    """Three queries: members on the meeting's date, their answers, and the attendance (two
    when the meeting's attendance is prefetched, as ``selectors.meetings.meeting_detail`` does)."""
    memberships = _members_on(meeting)
    answers = {
        answer.person_id: answer for answer in AttendanceAnswer.objects.filter(meeting=meeting)
    }
    prefetched = getattr(meeting, "_prefetched_objects_cache", {}).get("attendance")
    attendance = (
        list(prefetched)
        if prefetched is not None  # the meeting page's selector loaded it already
        else list(
            Attendance.objects.filter(meeting=meeting)
            .select_related("person", "person__organisation", "substitute_for")
            .order_by("person__full_name")
        )
    )
    by_person = {row.person_id: row for row in attendance}
    rows: dict[int, MemberRow] = {}
    for membership in memberships:
        if membership.person_id in rows:
            continue
        rows[membership.person_id] = MemberRow(
            person=membership.person,
            role=membership.get_role_display(),
            answer=answers.get(membership.person_id),
            attendance=by_person.get(membership.person_id),
        )
    others = [row for row in attendance if row.person_id not in rows]
    for row in others:
        if row.substitute_for_id in rows:
            rows[row.substitute_for_id].substituted_by.append(row.person)
    return MeetingAttendance(
        members=list(rows.values()),
        others=others,
        quorum=quorum_of(meeting, set(rows), attendance),
        mine=rows.get(viewer.pk) if viewer is not None else None,
    )


def attendance_context(meeting: Meeting, user: Any) -> dict[str, Any]:
    """What the meeting page's attendance part needs (three queries: the viewer's person, the
    members and their answers; the attendance comes prefetched)."""
    return {
        "attendance": meeting_attendance(meeting, viewer=person_of(user)),
        "answer_choices": AttendanceAnswer.Answer.choices,
    }


# --- Figures ------------------------------------------------------------------------------


@dataclass
class Figures:
    person: Person
    body: str
    expected: int = 0
    attended: int = 0
    apologies: int = 0

    @property
    def absent(self) -> int:
        return self.expected - self.attended - self.apologies


def attendance_figures(year: int, *, today: datetime.date | None = None) -> list[Figures]:
    """For each member of each body: the body's meetings held in ``year`` while they sat on it
    (expected), those they attended, those they sent apologies for (or a substitute), and the
    rest (absent, including meetings where nothing was recorded for them). Three queries."""
    meetings = list(
        Meeting.objects.filter(date__year=year, status=Meeting.Status.HELD)
        .select_related("body")
        .order_by("date")
    )
    if today is not None:
        meetings = [meeting for meeting in meetings if meeting.date <= today]
    body_ids = {meeting.body_id for meeting in meetings}
    memberships = list(
        Membership.objects.filter(
            body_id__in=body_ids,
            start_date__lte=datetime.date(year, 12, 31),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))
        .select_related("person", "person__organisation")
    )
    attendance: dict[tuple[int, int], Attendance] = {}
    substituted: set[tuple[int, int]] = set()
    for row in Attendance.objects.filter(meeting__in=[meeting.pk for meeting in meetings]):
        attendance[(row.meeting_id, row.person_id)] = row
        if row.substitute_for_id and row.status == Attendance.Status.PRESENT:
            substituted.add((row.meeting_id, row.substitute_for_id))
    figures: dict[tuple[int, int], Figures] = {}
    counted: set[tuple[int, int]] = set()
    meetings_by_body: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        meetings_by_body[meeting.body_id].append(meeting)
    for membership in memberships:
        key = (membership.person_id, membership.body_id)
        for meeting in meetings_by_body[membership.body_id]:
            if not membership.is_active(meeting.date) or (meeting.pk, membership.person_id) in (
                counted
            ):
                continue
            counted.add((meeting.pk, membership.person_id))
            row = figures.get(key)
            if row is None:
                row = figures[key] = Figures(person=membership.person, body=meeting.body.name)
            row.expected += 1
            record = attendance.get((meeting.pk, membership.person_id))
            if record is not None and record.status == Attendance.Status.PRESENT:
                row.attended += 1
            elif (record is not None and record.status == Attendance.Status.APOLOGIES) or (
                meeting.pk,
                membership.person_id,
            ) in substituted:
                row.apologies += 1
    return sorted(figures.values(), key=lambda row: (row.body, row.person.full_name))


def attendance_years() -> list[int]:
    """Years that have held meetings, newest first (one query)."""
    return sorted(
        {
            day.year
            for day in Meeting.objects.filter(status=Meeting.Status.HELD).values_list(
                "date", flat=True
            )
        },
        reverse=True,
    )


def figures_rows(figures: list[Figures], headers: list[Any]) -> list[list[Any]]:
    return [headers] + [
        [
            row.body,
            row.person.full_name,
            row.person.organisation or "",
            row.expected,
            row.attended,
            row.apologies,
            row.absent,
        ]
        for row in figures
    ]
