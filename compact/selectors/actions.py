"""Reads for *My actions*: the open meeting actions a person owns, with the rows they are
linked to, and the sections upper apps add (``compact.links.MyActionsSection``: the plan rows
the person answers for). A fixed number of queries, however many actions and rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from compact.links import MyActionsSection
from compact.models import Action, Person
from compact.platform import registry
from compact.platform.access import Role, has_role
from compact.selectors.meetings import visible_bodies
from compact.selectors.minutes import action_links


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


@dataclass
class MyActions:
    """What a person has to do: open meeting actions they own (``count`` in all, ``overdue``
    of them past their due date) and each section an upper app adds."""

    person: Person | None
    actions: list[Action] = field(default_factory=list)
    count: int = 0
    overdue: int = 0
    sections: list[SectionShown] = field(default_factory=list)


def _open_actions_of(person: Person) -> Any:
    return (
        Action.objects.filter(owner=person, status=Action.Status.OPEN)
        .select_related("meeting__body", "item")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def my_actions(
    *,
    user: Any,
    person: Person | None,
    today: datetime.date | None = None,
    limit: int | None = None,
) -> MyActions:
    """The person's open actions (all, or the first ``limit``, soonest due first) and the
    registered sections. Each action knows whether the user may open its meeting
    (``action.meeting_visible``) and the rows it is linked to (``action.linked``)."""
    today = today or timezone.localdate()
    result = MyActions(person=person)
    if person is None:
        return result
    actions = _open_actions_of(person)
    totals = actions.aggregate(count=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    result.count, result.overdue = totals["count"], totals["overdue"]
    result.actions = list(actions[:limit] if limit is not None else actions)
    if result.actions:
        readable: set[int] | None = None  # None: every body (officers)
        if not has_role(user, Role.OFFICER):
            readable = set(visible_bodies(user).values_list("pk", flat=True))
        links = action_links(result.actions, user=user)
        for action in result.actions:
            action.meeting_visible = readable is None or action.meeting.body_id in readable  # type: ignore[attr-defined]
            action.linked = links.get(action.pk, [])  # type: ignore[attr-defined]
    for section in registry.items(MyActionsSection):
        context = section.context(person, user, today, limit)
        if context is not None:
            result.sections.append(
                SectionShown(section.key, str(section.label), section.template, context)
            )
    return result
