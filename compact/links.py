"""The extension points through which upper apps join a meeting's actions to their rows.

- :class:`ActionLinkTarget`: an action may point at rows of an upper app (an action "update the
  plan's row 3.2" linked to that ``plans.Outcome``). The core stores only the target's key and
  the row's id (``compact.models.ActionLink``).
- :class:`MyActionsSection`: what else a person answers for, shown on *My actions* under the
  meeting actions they own (the plan rows whose responsibility names them).

Upper apps register them from their ``registrations.register()``; compact imports no upper app."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _anyone(user: Any) -> bool:
    return True


@dataclass(frozen=True)
class ActionLinkTarget:
    """Rows an action may be linked to.

    ``choices()`` lists ``(id, label)`` for the action form; ``describe(ids)`` returns
    ``{id: (label, url)}`` for the rows that still exist, in one or two queries;
    ``readable_by(user)`` says whether the user may open those urls (others see the label
    only)."""

    key: str  # "plans.outcome"
    label: str  # "Implementation plan row"
    choices: Callable[[], list[tuple[int, str]]]
    describe: Callable[[list[int]], dict[int, tuple[str, str]]]
    order: int = 0
    readable_by: Callable[[Any], bool] = _anyone


@dataclass(frozen=True)
class MyActionsSection:
    """A part of *My actions* from an upper app.

    ``context(person, user, today, limit)`` returns the template's context (with ``count``,
    how many there are in all, and at most ``limit`` items, or all when ``limit`` is None), or
    None to leave the section out. A fixed number of queries, whatever the person answers for.
    ``template`` renders it on the page and, cut to a few items, on the dashboard."""

    key: str
    label: str  # heading, marked for translation by the registering app
    template: str
    context: Callable[[Any, Any, datetime.date, int | None], dict[str, Any] | None]
    order: int = 100
