"""Meeting actions and the plan: the open actions linked to rows (read from compact's
``ActionLink``; plans may read the floor below it) and the rows a person answers for, as a
section of *My actions*. Each a fixed number of queries, however many rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from compact.models import Action, ActionLink, Person
from compact.platform.access import Role, has_role
from plans import parsing
from plans.models import Outcome
from plans.selectors import current_plan, rows_answered_by

# The key plans registers its rows under (compact.links.ActionLinkTarget).
ACTION_LINK_TARGET = "plans.outcome"


def open_actions_by_row(row_ids: Iterable[int]) -> dict[int, list[Action]]:
    """``{row id: [open actions linked to it]}``, soonest due first, with owner and meeting:
    one query for any number of rows."""
    ids = list(row_ids)
    if not ids:
        return {}
    links = (
        ActionLink.objects.filter(
            target=ACTION_LINK_TARGET, target_id__in=ids, action__status=Action.Status.OPEN
        )
        .select_related("action__owner", "action__meeting__body")
        .order_by(F("action__due_date").asc(nulls_last=True), "action_id")
    )
    by_row: dict[int, list[Action]] = defaultdict(list)
    for link in links:
        by_row[link.target_id].append(link.action)
    return dict(by_row)


@dataclass(frozen=True)
class RowShown:
    """A row the person answers for, with its RAG status and its open actions."""

    row: Outcome
    rag: parsing.Rag
    open_actions: list[Action]


def my_rows_section(
    person: Person, user: Any, today: datetime.date, limit: int | None
) -> dict[str, Any] | None:
    """*My actions*: the current plan's open rows the person answers for
    (:func:`plans.selectors.rows_answered_by`), with each row's open actions. Three queries
    for the page (plan, rows, actions); the dashboard asks for the count only (``limit=0``)."""
    plan = current_plan()
    if plan is None:
        return None
    rows_query = rows_answered_by(person, plan=plan)
    if limit is not None:
        rows = list(rows_query[:limit]) if limit else []
        count = rows_query.count()
    else:
        rows = list(rows_query)
        count = len(rows)
    actions = open_actions_by_row(row.pk for row in rows)
    return {
        "plan": plan,
        "rows": [
            RowShown(
                row, parsing.rag_status(row.status, row.due_date, today), actions.get(row.pk, [])
            )
            for row in rows
        ],
        "count": count,
        "can_edit": has_role(user, Role.OFFICER),
    }
