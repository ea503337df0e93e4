"""The core app's dashboard panels: context functions, each a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from compact.models import Circulation, Meeting
from compact.selectors import person_of
from compact.selectors.actions import my_actions
from compact.selectors.meetings import rotations_due, visible_bodies


def rotation_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Chairs and secretariats due to rotate under their body's rule (two queries)."""
    return {"due": rotations_due()}


def meetings_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Packs sent to the user and the next meetings of their bodies (fixed queries)."""
    packs = list(
        Circulation.objects.filter(recipient=request.user)
        .select_related("pack__meeting__body")
        .order_by("-sent_at")[:5]
    )
    meetings = Meeting.objects.filter(body__in=visible_bodies(request.user)).exclude(
        status=Meeting.Status.CANCELLED
    )
    today = timezone.localdate()
    upcoming = list(
        meetings.filter(date__gte=today).select_related("body").order_by("date", "start_time")[:5]
    )
    recent = list(
        meetings.filter(date__lt=today).select_related("body").order_by("-date", "-start_time")[:3]
    )
    return {"packs": packs, "upcoming": upcoming, "recent": recent}


PANEL_ACTIONS = 5  # actions on the dashboard; the page lists them all


def my_actions_panel(request: HttpRequest) -> dict[str, Any] | None:
    """My open meeting actions (the soonest due) and how many plan rows I answer for, for
    everyone signed in whose account is linked to a person (fixed queries)."""
    person = person_of(request.user)
    if person is None:
        return None
    mine = my_actions(user=request.user, person=person, limit=PANEL_ACTIONS, section_limit=0)
    return {"mine": mine}
