"""What a person's sessions say about themselves: when each started, when it was last seen,
from which address and browser. Noted in the session at sign-in (a ``user_logged_in``
receiver) and refreshed at most once a minute by :class:`LastSeenMiddleware`; listed for the
person on their sessions page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from compact.platform.throttle import client_address

STARTED = "_compact_started"
SEEN = "_compact_seen"
ADDRESS = "_compact_address"
AGENT = "_compact_agent"
SEEN_EVERY_SECONDS = 60


def note_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Receiver of ``user_logged_in``: note the start, address and browser in the session."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().isoformat()
    request.session[STARTED] = now
    request.session[SEEN] = now
    request.session[ADDRESS] = client_address(request) or ""
    request.session[AGENT] = request.META.get("HTTP_USER_AGENT", "")[:300]


class LastSeenMiddleware:
    """Refresh the session's last-seen time, at most once a minute (one session write)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = timezone.now()
            seen = _parse(request.session.get(SEEN))
            if seen is None or (now - seen).total_seconds() >= SEEN_EVERY_SECONDS:
                request.session[SEEN] = now.isoformat()
                request.session.setdefault(STARTED, now.isoformat())
        return self.get_response(request)


def _parse(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def browser_name(agent: str) -> str:
    """A short name of the browser and system from a user agent, or the first 60 characters."""
    browsers = (
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    )
    systems = (
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    )
    browser = next((name for mark, name in browsers if mark in agent), "")
    system = next((name for mark, name in systems if mark in agent), "")
    if browser or system:
        return " on ".join(part for part in (browser, system) if part)
    return agent[:60]


@dataclass(frozen=True)
class SessionSummary:
    key: str
    started: datetime.datetime | None
    last_seen: datetime.datetime | None
    address: str
    browser: str
    current: bool


def sessions_of(user: Any, *, current_key: str | None) -> list[SessionSummary]:
    """The user's unexpired sessions, newest first (one query; database session engines)."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    get_model = getattr(store_class, "get_model_class", None)
    if get_model is None:
        return []
    found = []
    for row in get_model().objects.filter(expire_date__gt=timezone.now()).iterator():
        data = row.get_decoded()
        if str(data.get("_auth_user_id")) != str(user.pk):
            continue
        found.append(
            SessionSummary(
                key=row.session_key,
                started=_parse(data.get(STARTED)),
                last_seen=_parse(data.get(SEEN)),
                address=str(data.get(ADDRESS, "")),
                browser=browser_name(str(data.get(AGENT, ""))),
                current=row.session_key == current_key,
            )
        )
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    found.sort(key=lambda s: (s.current, s.last_seen or oldest), reverse=True)
    return found


def last_seen_by_user() -> dict[str, datetime.datetime]:
    """When each user's sessions were last seen, newest per user id (as a string), expired
    sessions included: they still tell when the person was last here (one query)."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    get_model = getattr(store_class, "get_model_class", None)
    if get_model is None:
        return {}
    seen: dict[str, datetime.datetime] = {}
    for row in get_model().objects.iterator():
        data = row.get_decoded()
        user_id = data.get("_auth_user_id")
        when = _parse(data.get(SEEN)) or _parse(data.get(STARTED))
        if user_id is None or when is None:
            continue
        key = str(user_id)
        if key not in seen or when > seen[key]:
            seen[key] = when
    return seen
