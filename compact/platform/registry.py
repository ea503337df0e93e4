"""The one registry: how the apps plug into the ground floor.

``compact`` is the ground floor and never imports ``plans``, ``partnerships``,
``representatives`` or ``disputes``. Where something below needs something from above (a menu
entry, a dashboard panel, a board-pack paper, a file made in the background, a daily reminder,
demo data), the upper app describes it as one of the extension types (the dataclasses here,
:class:`~compact.platform.background.FileProducer`, :class:`~compact.platform.reminders.Reminder`,
or a type an app defines for the apps above it, such as partnerships' place holders) and
registers it from its ``registrations.register()``, which its ``AppConfig.ready()`` calls::

    from compact.platform import registry

    def register() -> None:
        registry.register(NavItem(...), DashboardPanel(...), FileProducer(...))

and whoever offers the extension point reads ``registry.items(NavItem)`` or
``registry.get(PaperProvider, key)``. Nothing registers at import time, so any module may be
imported from anywhere without side effects. Items are kept per type, by key (registering the
same key again replaces it) and listed by ``order`` then key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.http import HttpRequest

    from compact.platform.access import Role

T = TypeVar("T")

_items: dict[type, dict[str, Any]] = {}


def _key(item: Any) -> str:
    return str(item.key)


def register(*items: Any) -> None:
    """Register each item under its type and key (the same key again replaces it)."""
    for item in items:
        _items.setdefault(type(item), {})[_key(item)] = item


def items(kind: type[T]) -> list[T]:
    """Every registered item of this type, by ``order`` (if it has one) then key."""
    registered = _items.get(kind, {}).values()
    return sorted(registered, key=lambda item: (getattr(item, "order", 100), _key(item)))


def get(kind: type[T], key: str) -> T | None:
    return _items.get(kind, {}).get(key)


@contextmanager
def overridden(
    *replacements: Any, only: bool = False, hidden: tuple[type, ...] = ()
) -> Iterator[None]:
    """For tests: register ``replacements`` for the duration; with ``only``, hide every other
    item of their types; ``hidden`` types start empty. Everything registered before comes back
    afterwards, and anything registered meanwhile goes."""
    saved = {kind: dict(entries) for kind, entries in _items.items()}
    try:
        for kind in set(hidden) | ({type(item) for item in replacements} if only else set()):
            _items[kind] = {}
        register(*replacements)
        yield
    finally:
        _items.clear()
        _items.update(saved)


# --- Navigation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """A link in the main navigation, shown only to users the target page admits."""

    label: str  # already marked for translation by the registering app
    url_name: str
    order: int = 100
    roles: frozenset[Role] | None = None  # None: any signed-in user
    public: bool = False  # also shown to anonymous visitors
    section: str = ""  # items sharing a section label form one drop-down menu
    visitors_only: bool = False  # shown only to visitors not signed in (e.g. how to sign up)

    @property
    def key(self) -> str:
        return self.url_name


# --- Dashboard panels ---------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPanel:
    """A panel on the home dashboard. ``context`` returns the template's context, or None to
    hide the panel for this request. Keep it to a fixed number of queries."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100
    roles: frozenset[Role] | None = None  # None: any signed-in user


@dataclass(frozen=True)
class PublicPanel(DashboardPanel):
    """A panel of the public home page (visitors not signed in): what an app offers the public."""


@dataclass(frozen=True)
class MeetingPanel:
    """A box on a meeting's page offered by an upper app (the plan's update call before a
    Board meeting). ``context(request, meeting)`` returns the template's context, or None to
    hide it; only officers see these boxes. Keep it to a fixed number of queries."""

    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


def meeting_panels(request: HttpRequest, meeting: Any) -> list[dict[str, Any]]:
    """The registered meeting boxes that show for this request, each as template + context."""
    shown = []
    for panel in items(MeetingPanel):
        context = panel.context(request, meeting)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown


# --- Confirmed e-mail addresses ----------------------------------------------------------
# An account made without a password (a representative approved from a sign-up) may still
# reset one by e-mail once an upper app vouches that its address was confirmed.


@dataclass(frozen=True)
class EmailConfirmation:
    """``check(user)`` is True when the user's current e-mail address was confirmed."""

    key: str
    check: Callable[[Any], bool]


def email_confirmed(user: Any) -> bool:
    return any(confirmation.check(user) for confirmation in items(EmailConfirmation))
