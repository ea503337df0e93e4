"""Reads for *My actions*: the open meeting actions a person owns, with the rows they are
linked to, and the sections upper apps add (``compact.links.MyActionsSection``: the plan rows
the person answers for). A fixed number of queries, however many actions and rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils import timezone

from compact.links import MyActionsSection
from compact.models import Action, Person
from compact.platform import registry
from compact.platform.access import Role, has_role
from compact.selectors.meetings import visible_bodies
from compact.selectors.minutes import LinkShown, action_links


@dataclass
class SectionShown:
    """One registered section with its context for this person."""

    key: str
    label: str
    template: str
    context: dict[str, Any]

    @property
    def count(self) -> int:
        return int(self.context.get("count", 0))


@dataclass(frozen=True)
class ActionShown:
    """An open action as its owner sees it: the rows it is linked to, and whether they may
    open its meeting."""

    action: Action
    linked: list[LinkShown]
    meeting_visible: bool
    overdue: bool


@dataclass
class MyActions:
    """What a person has to do: open meeting actions they own (``count`` in all, ``overdue``
    of them past their due date) and each section an upper app adds."""

    person: Person | None
    actions: list[ActionShown] = field(default_factory=list)
    count: int = 0
    overdue: int = 0
    sections: list[SectionShown] = field(default_factory=list)


def my_actions(
    *,
    user: Any,
    person: Person | None,
    today: datetime.date | None = None,
    limit: int | None = None,
    section_limit: int | None = None,
) -> MyActions:
    """The person's open actions (all, or the first ``limit``, soonest due first) and the
    registered sections (each cut to ``section_limit`` items; 0: only counted). A person owns
    a handful of open actions, so all are read in one query and counted here."""
    today = today or timezone.localdate()
    result = MyActions(person=person)
    if person is None:
        return result
    actions = list(
        Action.objects.filter(owner=person, status=Action.Status.OPEN)
        .select_related("meeting__body", "item")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    result.count = len(actions)
    result.overdue = sum(1 for action in actions if action.is_overdue(today))
    shown = actions[:limit] if limit is not None else actions
    if shown:
        readable: set[int] | None = None  # None: every body (officers)
        if not has_role(user, Role.OFFICER):
            readable = set(visible_bodies(user).values_list("pk", flat=True))
        links = action_links(shown, user=user)
        result.actions = [
            ActionShown(
                action=action,
                linked=links.get(action.pk, []),
                meeting_visible=readable is None or action.meeting.body_id in readable,
                overdue=action.is_overdue(today),
            )
            for action in shown
        ]
    for section in registry.items(MyActionsSection):
        context = section.context(person, user, today, section_limit)
        if context is not None:
            result.sections.append(
                SectionShown(section.key, str(section.label), section.template, context)
            )
    return result
