"""Calendar feeds: a person's page with their secret address, the feed behind it, and the
public feed of public bodies' meetings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact.models import CalendarFeed
from compact.platform.access import public, signed_in
from compact.platform.calendars import ical
from compact.selectors.calendars import feed_for_token, personal_events, public_events
from compact.services.calendars import calendar_feed_reset, calendar_feed_revoke


def _site_url(request: HttpRequest) -> str:
    return (settings.SITE_URL or request.build_absolute_uri("/")).rstrip("/")


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The person's calendar address: make or reset it, or stop it."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar address is stopped."))
        else:
            calendar_feed_reset(user=request.user)
            messages.success(
                request, _("Your new calendar address is below. The old one no longer works.")
            )
        return redirect("compact:calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    base = _site_url(request)
    return render(
        request,
        "compact/calendar.html",
        {
            "feed_url": base + reverse("compact:calendar_feed", kwargs={"token": feed.token})
            if feed
            else "",
            "public_url": base + reverse("compact:calendar_public"),
        },
    )


@public
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's feed: whoever has the secret address reads it (calendar apps cannot sign
    in); a wrong or stopped address is not found."""
    feed = feed_for_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404
    events = personal_events(feed.user, site_url=_site_url(request))
    return _ics(ical(events, name=_("Compact Tracker")), "compact.ics")


@public
@require_GET
def calendar_public(request: HttpRequest) -> HttpResponse:
    """The meetings of bodies whose meetings are public."""
    events = public_events(site_url=_site_url(request))
    return _ics(ical(events, name=_("Compact meetings")), "compact-meetings.ics")
