"""Papers the core app lays out (the board pack, files made in the background) and the
extension point through which the upper apps offer their papers to board packs: they register
a :class:`PaperProvider` with :func:`compact.platform.registry.register`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compact.platform.access import Role, has_role

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
    a meeting still to come; see :func:`compact.papers.boardpack.paper_as_of`): "latest" means the
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
        return self.roles is None or has_role(user, *self.roles)
