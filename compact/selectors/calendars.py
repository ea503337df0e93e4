"""What a calendar feed lists: the meetings a person may see (and the public ones), and the
actions they own, as calendar events (a fixed number of queries whatever their number)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Action, AgendaItem, Body, CalendarFeed, Meeting
from compact.platform.access import is_officer
from compact.platform.calendars import CalendarEvent, local_moment
from compact.platform.language import text_of
from compact.selectors import person_of
from compact.selectors.meetings import visible_bodies

HISTORY_DAYS = 365  # past meetings kept in a feed, so last year's stay in people's calendars


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token).first()


def _meeting_event(meeting: Meeting, site_url: str, *, link: bool = True) -> CalendarEvent:
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@compact-tracker",
        summary=_("%(body)s meeting") % {"body": meeting.body.name},
        start=local_moment(meeting.date, meeting.start_time),
        end=local_moment(meeting.date, meeting.end_time),
        location=meeting.where,
        url=site_url + meeting.get_absolute_url() if link else "",
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def _meetings(bodies: Any) -> list[Meeting]:
    since = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS)
    return list(
        Meeting.objects.filter(body__in=bodies, date__gte=since)
        .select_related("body")
        .order_by("date", "start_time")
    )


def _papers_due(meeting: Meeting, site_url: str, titles: list[str]) -> CalendarEvent:
    """An all-day reminder ``PAPERS_DUE_DAYS`` before the meeting: for an officer every
    meeting's papers, for a presenter the items they present (``titles``)."""
    due = meeting.date - datetime.timedelta(days=settings.PAPERS_DUE_DAYS)
    names = {"body": meeting.body.name, "date": meeting.date.strftime("%d/%m/%Y")}
    summary = _("Papers due: %(body)s meeting of %(date)s") % names
    return CalendarEvent(
        uid=f"papers-{meeting.pk}@compact-tracker",
        summary=summary,
        start=due,
        end=due + datetime.timedelta(days=1),
        description="\n".join(titles),
        url=site_url + meeting.get_absolute_url(),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def personal_events(user: Any, *, site_url: str) -> list[CalendarEvent]:
    """The meetings of the bodies the user sits on (officers: every body), when their papers
    are due (officers: every meeting's; others: the meetings where they present an item), and
    the open actions they own, with due dates (four queries)."""
    meetings = _meetings(visible_bodies(user))
    events = [_meeting_event(meeting, site_url) for meeting in meetings]
    person = person_of(user)
    if is_officer(user):
        events += [_papers_due(meeting, site_url, []) for meeting in meetings]
    elif person is not None:
        since = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS)
        presented: dict[int, list[str]] = {}
        by_pk = {}
        items = AgendaItem.objects.filter(
            presenter=person, meeting__date__gte=since
        ).select_related("meeting__body")
        for item in items.order_by("meeting__date", "position"):
            presented.setdefault(item.meeting_id, []).append(text_of(item, "title"))
            by_pk[item.meeting_id] = item.meeting
        events += [_papers_due(by_pk[pk], site_url, titles) for pk, titles in presented.items()]
    if person is not None:
        actions = Action.objects.filter(
            owner=person, status=Action.Status.OPEN, due_date__isnull=False
        ).select_related("meeting__body")
        events += [
            CalendarEvent(
                uid=f"action-{action.pk}@compact-tracker",
                summary=_("Action due: %(action)s")
                % {"action": text_of(action, "description")[:80]},
                start=action.due_date,
                end=action.due_date + datetime.timedelta(days=1),
                description=text_of(action, "description"),
                url=site_url + reverse("compact:meeting_detail", kwargs={"pk": action.meeting_id}),
            )
            for action in actions
        ]
    return events


def public_events(*, site_url: str) -> list[CalendarEvent]:
    """The meetings of bodies whose meetings are listed publicly (one query); without links,
    as the meeting pages are for members."""
    bodies = Body.objects.filter(meetings_public=True)
    return [_meeting_event(meeting, site_url, link=False) for meeting in _meetings(bodies)]
