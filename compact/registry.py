"""Registries the upper apps fill in their ``AppConfig.ready()``.

``compact`` is the ground floor and never imports ``plans``, ``partnerships``,
``representatives`` or ``disputes``. Where it needs something from them (a menu entry, a
dashboard panel, a board-pack paper, demo data) the upper app registers it here, the way
``admin.autodiscover`` works, so the arrows between apps always point down.
"""

from __future__ import annotations

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

    Every provider also accepts the value ``"latest"``: the newest version at the time the
    pack is built (used for standing items)."""

    value: str
    label: str


@dataclass(frozen=True)
class RenderedPaper:
    title: str
    pdf: bytes


@dataclass(frozen=True)
class PaperProvider:
    """A generated paper an upper app offers to board packs.

    ``fingerprint(value)`` must be cheap and change whenever the rendered paper would change;
    the board pack is cached by the fingerprints of its parts.
    """

    key: str  # "plans.update_report"
    label: str  # "Implementation Plan - latest update (changes in blue)"
    options: Callable[[], list[PaperOption]]
    fingerprint: Callable[[str], str]
    render: Callable[[str], RenderedPaper]
    standing: bool = False  # added to each new agenda of the bodies below, with "latest"
    standing_body_kinds: frozenset[str] = field(default_factory=lambda: frozenset({"board"}))


_paper_providers: dict[str, PaperProvider] = {}


def register_paper_provider(provider: PaperProvider) -> None:
    _paper_providers[provider.key] = provider


def paper_providers() -> list[PaperProvider]:
    return sorted(_paper_providers.values(), key=lambda provider: provider.label)


def paper_provider(key: str) -> PaperProvider | None:
    return _paper_providers.get(key)


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
