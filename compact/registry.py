"""Registries the upper apps fill in their ``AppConfig.ready()``.

``compact`` is the ground floor and never imports ``plans``, ``partnerships``,
``representatives`` or ``disputes``. Where it needs something from them (a menu entry, a
dashboard panel, a board-pack paper, demo data) the upper app registers it here, the way
``admin.autodiscover`` works, so the arrows between apps always point down.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from compact.access import Role


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


_nav_items: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _nav_items[item.url_name] = item


def nav_items() -> list[NavItem]:
    return sorted(_nav_items.values(), key=lambda item: (item.order, item.url_name))


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


_dashboard_panels: dict[str, DashboardPanel] = {}


def register_dashboard_panel(panel: DashboardPanel) -> None:
    _dashboard_panels[panel.key] = panel


def dashboard_panels() -> list[DashboardPanel]:
    return sorted(_dashboard_panels.values(), key=lambda panel: (panel.order, panel.key))


# Panels of the public home page (visitors not signed in): what each app offers the public.
_public_panels: dict[str, DashboardPanel] = {}


def register_public_panel(panel: DashboardPanel) -> None:
    _public_panels[panel.key] = panel


def public_panels() -> list[DashboardPanel]:
    return sorted(_public_panels.values(), key=lambda panel: (panel.order, panel.key))


# --- Board-pack papers --------------------------------------------------------------------


@dataclass(frozen=True)
class PaperOption:
    """One paper a provider can produce, e.g. value "4", label "Update 4 - 26 January 2009".

    Every provider also accepts the value ``"latest"``: the newest version *as at the
    meeting's date* (used for standing items), so a past meeting's pack never shows papers
    issued after it."""

    value: str
    label: str


@dataclass(frozen=True)
class RenderedPaper:
    title: str
    pdf: bytes


@dataclass(frozen=True)
class PaperPlacement:
    """Where a paper sits in a board pack, for providers that print it on the paper's cover."""

    paper_number: str  # "3.1"
    agenda_item: str  # "3. Implementation Plan"


@dataclass(frozen=True)
class PaperProvider:
    """A generated paper an upper app offers to board packs.

    ``fingerprint(value, as_of)`` must be cheap and change whenever the rendered paper would
    change; the board pack is cached by the fingerprints of its parts. ``render(value, as_of)``
    makes the PDF. ``as_of`` is the date the paper speaks for (the meeting's date, or today for
    a meeting still to come; see :func:`compact.boardpack.paper_as_of`): "latest" means the
    latest on or before it, and a report is "as at" it.
    """

    key: str  # "plans.update_report"
    label: str  # "Implementation Plan - latest update (changes in blue)"
    options: Callable[[], list[PaperOption]]
    fingerprint: Callable[[str, datetime.date], str]
    render: Callable[[str, datetime.date], RenderedPaper]
    # Optional: render the paper for its place in a pack (paper number, agenda item); the
    # pack is cached by its items' positions and titles, so this needs no fingerprint of its own.
    render_placed: Callable[[str, datetime.date, PaperPlacement], RenderedPaper] | None = None
    standing: bool = False  # added to each new agenda of the bodies below, with "latest"
    standing_body_kinds: frozenset[str] = field(default_factory=lambda: frozenset({"board"}))
    # Who may read the paper, as on the provider's own pages: None is anyone who may see the
    # meeting (a public report); otherwise these roles (and superusers). The paper view checks
    # both, so a report refused on its own page is not read as a meeting paper.
    roles: frozenset[Role] | None = None

    def readable_by(self, user: Any) -> bool:
        from compact.access import has_role

        return self.roles is None or has_role(user, *self.roles)


_paper_providers: dict[str, PaperProvider] = {}


def register_paper_provider(provider: PaperProvider) -> None:
    _paper_providers[provider.key] = provider


def paper_providers() -> list[PaperProvider]:
    return sorted(_paper_providers.values(), key=lambda provider: provider.label)


def paper_provider(key: str) -> PaperProvider | None:
    return _paper_providers.get(key)


# --- Confirmed e-mail addresses ----------------------------------------------------------
# An account made without a password (a representative approved from a sign-up) may still
# reset one by e-mail once an upper app vouches that its address was confirmed.

_email_confirmations: list[Callable[[Any], bool]] = []


def register_email_confirmation(check: Callable[[Any], bool]) -> None:
    """``check(user)`` is True when the user's current e-mail address was confirmed."""
    if check not in _email_confirmations:
        _email_confirmations.append(check)


def email_confirmed(user: Any) -> bool:
    return any(check(user) for check in _email_confirmations)


# --- Demo data ----------------------------------------------------------------------------


@dataclass
class DemoContext:
    """What ``load_demo`` has made so far, handed to each app's demo loader in turn."""

    compact: Any
    organisations: dict[str, Any]  # by short name: "VAMT", "MTCBC", "LHB", ...
    people: dict[str, Any]  # by initials: "ID", "AH", ...
    bodies: dict[str, Any]  # by slug: "compact-board", "officers-group", ...
    users: dict[str, Any]  # by username: "officer", "board", "admin", "representative"
    write: Callable[[str], None]  # progress output
    # Whole months the 2008-09 story is moved forward so that it reads as current (see
    # ``compact.demo.demo_shift_months``); every demo date goes through :meth:`date`.
    shift_months: int = 0

    def date(self, original: datetime.date) -> datetime.date:
        """A date of the 2008-09 story, moved by the demo's shift."""
        from compact.demo import shift_date

        return shift_date(original, self.shift_months)

    def in_force(self, original: datetime.date) -> datetime.date:
        """A moved start date that today's events rely on (a membership, a code in force): the
        whole-month shift can put 1 April 2009 a few days ahead, so it is never after today."""
        from django.utils import timezone

        return min(self.date(original), timezone.localdate())


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: Callable[[DemoContext], None]
    order: int = 100  # lower runs first; plans 10, partnerships 20, representatives 30 ...


_demo_loaders: dict[str, DemoLoader] = {}


def register_demo_loader(loader: DemoLoader) -> None:
    _demo_loaders[loader.name] = loader


def demo_loaders() -> list[DemoLoader]:
    return sorted(_demo_loaders.values(), key=lambda loader: (loader.order, loader.name))
