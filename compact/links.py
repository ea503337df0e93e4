"""The extension point through which upper apps let a meeting's actions point at their rows
(an action "update the plan's row 3.2" linked to that ``plans.Outcome``): they register an
:class:`ActionLinkTarget` from their ``registrations.register()``. The core stores only the
target's key and the row's id (``compact.models.ActionLink``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionLinkTarget:
    """Rows an action may be linked to.

    ``choices()`` lists ``(id, label)`` for the action form; ``describe(ids)`` returns
    ``{id: (label, url)}`` for the rows that still exist, in one or two queries."""

    key: str  # "plans.outcome"
    label: str  # "Implementation plan row"
    choices: Callable[[], list[tuple[int, str]]]
    describe: Callable[[list[int]], dict[int, tuple[str, str]]]
    order: int = 0
