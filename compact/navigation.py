"""The core app's menu entries and dashboard panels (upper apps register their own)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.access import Role
from compact.registry import DashboardPanel, NavItem, register_dashboard_panel, register_nav_item

BOARD = _("Compact Board")

register_nav_item(
    NavItem(label=_("Meetings"), url_name="compact:meeting_programme", section=BOARD, order=70)
)
# Visitors' menu: the public home page (at /) and how to raise a concern.
register_nav_item(
    NavItem(label=_("About the Compact"), url_name="home", order=1, public=True, visitors_only=True)
)
register_nav_item(
    NavItem(
        label=_("Raise a concern"),
        url_name="compact:contact",
        order=95,
        public=True,
        visitors_only=True,
    )
)
register_nav_item(
    NavItem(label=_("Codes of practice"), url_name="compact:code_list", section=BOARD, order=75)
)
register_nav_item(NavItem(label=_("Bodies"), url_name="compact:body_list", section=BOARD, order=80))
register_nav_item(
    NavItem(label=_("Organisations"), url_name="compact:organisation_list", section=BOARD, order=85)
)
register_nav_item(
    NavItem(
        label=_("People"),
        url_name="compact:person_list",
        section=BOARD,
        order=90,
        roles=frozenset({Role.OFFICER, Role.ADMINISTRATOR}),
    )
)


def rotation_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Chairs and secretariats due to rotate under their body's rule (two queries)."""
    from compact.selectors_meetings import rotations_due

    return {"due": rotations_due()}


def meetings_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Packs sent to the user and the next meetings of their bodies (fixed queries)."""
    from compact.models import Circulation, Meeting
    from compact.selectors_meetings import visible_bodies

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


register_dashboard_panel(
    DashboardPanel(
        key="compact-meetings",
        template="compact/panels/meetings.html",
        context=meetings_panel,
        order=20,
    )
)
register_dashboard_panel(
    DashboardPanel(
        key="compact-rotation",
        template="compact/panels/rotation.html",
        context=rotation_panel,
        order=25,
        roles=frozenset({Role.OFFICER, Role.ADMINISTRATOR}),
    )
)
