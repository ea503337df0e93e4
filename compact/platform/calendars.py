"""iCalendar feeds (RFC 5545) with the icalendar library: events in, a ``.ics`` file out.

Times are written in UTC, converted from the Compact's local time (Europe/London, the
project's ``TIME_ZONE``) for each event's own date, so a 10:00 meeting reads 09:00Z in summer
and 10:00Z in winter and every calendar app shows 10:00 local time across the clock changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across feeds and time, e.g. "meeting-12@compact-tracker"
    summary: str
    start: datetime.datetime | datetime.date  # a date: an all-day event
    end: datetime.datetime | datetime.date | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A wall-clock time on a date in the project's time zone, as an aware datetime."""
    return datetime.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _utc(value: datetime.datetime | datetime.date) -> datetime.datetime | datetime.date:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC)
    return value


def ical(events: Iterable[CalendarEvent], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Compact Tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", _utc(item.start))
        if item.end is not None:
            event.add("dtend", _utc(item.end))
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
