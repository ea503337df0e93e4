"""Reads for meetings: the programme, one meeting with everything on its page, carried-forward
actions and rotation reminders. Each costs a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.models import (
    Action,
    AgendaItem,
    Attendance,
    BoardPack,
    Body,
    Circulation,
    Meeting,
    MeetingDeclaration,
    Membership,
    Minutes,
    RotationRule,
)
from compact.platform.access import Role, has_role

# Past meetings of publicly listed bodies a visitor sees (the public calendar's window).
PUBLIC_HISTORY_DAYS = 365


def visible_bodies(user: Any) -> QuerySet[Body]:
    """Officers see every body's meetings; others the bodies they sit on (now or before)."""
    bodies = Body.objects.order_by("kind", "name")
    if has_role(user, Role.OFFICER):
        return bodies
    return bodies.filter(pk__in=Membership.objects.filter(person__user=user).values("body_id"))


def _member_on(user: Any, day: Any) -> Exists:
    """The user has a membership of the meeting's body covering ``day`` (a date or a field)."""
    return Exists(
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            person__user=user,
            body_id=OuterRef("body_id"),
            start_date__lte=day,
        )
    )


def readable_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings the API shows this person, each annotated ``full``: whether they may see
    its agenda and papers (``compact.permissions.can_view_meeting``: officers every meeting,
    members their body's, by a membership covering the meeting's date or today). Everyone,
    visitors too, also sees the date and venue of publicly listed bodies' meetings from a year
    ago on, as the public calendar does. One query, whatever the person."""
    since = timezone.localdate() - datetime.timedelta(days=PUBLIC_HISTORY_DAYS)
    listed = Q(body__meetings_public=True, date__gte=since)
    meetings = Meeting.objects.select_related("body").order_by("date", "start_time", "pk")
    if has_role(user, Role.OFFICER):
        return meetings.annotate(full=Value(True))
    if not getattr(user, "is_authenticated", False):
        return meetings.filter(listed).annotate(full=Value(False))
    member = Q(_member_on(user, OuterRef("date"))) | Q(_member_on(user, timezone.localdate()))
    full = ExpressionWrapper(member, output_field=BooleanField())
    return meetings.annotate(full=full).filter(Q(full=True) | listed)


@dataclass
class BodyProgramme:
    body: Body
    meetings: list[Meeting]
    warnings: list[str] = field(default_factory=list)


def programme(*, bodies: QuerySet[Body], today: datetime.date | None = None) -> list[BodyProgramme]:
    """Each body's meetings, with a warning for every year (the current one included) in which
    fewer meetings are programmed than the body expects. Two queries."""
    today = today or timezone.localdate()
    meetings = Meeting.objects.order_by("date", "start_time").select_related("minutes")
    result = []
    for body in bodies.prefetch_related(Prefetch("meetings", queryset=meetings)):
        listed = list(body.meetings.all())
        result.append(
            BodyProgramme(body=body, meetings=listed, warnings=_warnings(body, listed, today))
        )
    return result


def _warnings(body: Body, meetings: list[Meeting], today: datetime.date) -> list[str]:
    expected = body.expected_meetings_per_year
    if not expected:
        return []
    counts = Counter(
        meeting.date.year for meeting in meetings if meeting.status != Meeting.Status.CANCELLED
    )
    years = sorted(set(counts) | {today.year})
    return [
        _warning(year, counts.get(year, 0), body.name, expected)
        for year in years
        if counts.get(year, 0) < expected
    ]


def _warning(year: int, count: int, body: str, expected: int) -> str:
    values = {"year": year, "count": count, "body": body, "expected": expected}
    if count == 0:
        return _("%(year)s: no meetings programmed; %(body)s should meet at least %(expected)s "
                 "times a year.") % values  # fmt: skip
    return (
        ngettext(
            "%(year)s: only %(count)s meeting programmed; %(body)s should meet at least "
            "%(expected)s times a year.",
            "%(year)s: only %(count)s meetings programmed; %(body)s should meet at least "
            "%(expected)s times a year.",
            count,
        )
        % values
    )


def meeting_detail(*, pk: int) -> Meeting:
    """A meeting with its agenda, papers, attendance, declarations, actions, minutes and packs."""
    return (
        Meeting.objects.select_related("body", "body__compact", "minutes")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("presenter").prefetch_related("papers"),
            ),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related(
                    "person", "person__organisation", "substitute_for"
                ).order_by("person__full_name"),
            ),
            Prefetch(
                "declarations", queryset=MeetingDeclaration.objects.select_related("person", "item")
            ),
            Prefetch("actions", queryset=Action.objects.select_related("owner", "item")),
            Prefetch(
                "packs",
                queryset=BoardPack.objects.select_related("created_by")
                .prefetch_related(
                    Prefetch(
                        "circulations",
                        queryset=Circulation.objects.select_related("recipient").order_by(
                            "sent_at", "pk"
                        ),
                    )
                )
                .order_by("-version"),
            ),
        )
        .get(pk=pk)
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one that was not cancelled, with its minutes."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id)
        .filter(Q(date__lt=meeting.date) | Q(date=meeting.date, start_time__lt=meeting.start_time))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("minutes")
        .order_by("-date", "-start_time")
        .first()
    )


def minutes_of(meeting: Meeting | None) -> Minutes | None:
    if meeting is None:
        return None
    try:
        return meeting.minutes
    except Minutes.DoesNotExist:
        return None


def carried_forward_actions(meeting: Meeting) -> list[Action]:
    """Actions from the body's earlier meetings still open when this one takes place."""
    return list(
        Action.objects.filter(meeting__body_id=meeting.body_id, meeting__date__lt=meeting.date)
        .filter(Q(status=Action.Status.OPEN) | Q(completed_on__gte=meeting.date))
        .select_related("owner", "item", "meeting")
        .order_by("due_date", "pk")
    )


def members_to_circulate(meeting: Meeting) -> list[Membership]:
    """Current members of the meeting's body who have a sign-in (they receive a link)."""
    today = timezone.localdate()
    return list(
        Membership.objects.filter(body_id=meeting.body_id, person__user__isnull=False)
        .filter(start_date__lte=max(today, meeting.date))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=min(today, meeting.date)))
        .select_related("person", "person__user")
        .order_by("person__full_name")
    )


@dataclass(frozen=True)
class RotationDue:
    body: Body
    membership: Membership
    due_on: datetime.date
    months: int


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def rotations_due(
    *, today: datetime.date | None = None, within_days: int = 60
) -> list[RotationDue]:
    """Chairs and secretariats whose term under their body's rotation rule has run out, or runs
    out within ``within_days``. Two queries."""
    today = today or timezone.localdate()
    rules = {rule.body_id: rule for rule in RotationRule.objects.select_related("body")}
    if not rules:
        return []
    holders = (
        Membership.objects.filter(
            body_id__in=rules,
            role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARIAT],
            start_date__lte=today,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "body")
        .order_by("start_date")
    )
    due = []
    for membership in holders:
        rule = rules[membership.body_id]
        due_on = add_months(membership.start_date, rule.rotate_after_months)
        if due_on <= today + datetime.timedelta(days=within_days):
            due.append(RotationDue(membership.body, membership, due_on, rule.rotate_after_months))
    return due
