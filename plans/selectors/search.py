"""Plan rows in the search box.

Readers find rows as the Board read them: in the issued updates of the plans they may read
(public plans, or every plan for anyone with a role), newest first. The stored snapshots are
narrowed in the database to those holding every word, and only the newest
``UPDATES_SEARCHED`` of those are decoded, so a search costs the same however many updates a
plan has. Officers also find the draft, the rows as they stand now (unissued edits are theirs
to see, not the Board's)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from compact.platform.access import ALL_ROLES, has_role, is_officer
from compact.platform.search import Query, SearchHit, matching, snippet
from plans.models import ImplementationPlan, Outcome, UpdateSnapshot
from plans.selectors.reports import _status_labels
from plans.snapshots import SNAPSHOT_SCHEMA, decode_snapshots

UPDATES_SEARCHED = 6
ROW_FIELDS = ("outcome", "timescale", "responsibility", "progress")


def readable_plans(user: Any) -> Any:
    plans = ImplementationPlan.objects.all()
    return plans if has_role(user, *ALL_ROLES) else plans.filter(is_public=True)


def search_rows(user: Any, query: Query, limit: int) -> list[SearchHit]:
    plans = readable_plans(user)
    hits: list[SearchHit] = []
    seen: set[int] = set()
    if is_officer(user):
        rows = Outcome.objects.filter(task__objective__plan__in=plans).select_related(
            "task__objective__plan"
        )
        fields = [*ROW_FIELDS, "task__description", "task__objective__title"]
        for row in matching(rows.order_by("task__objective__plan", "pk"), fields, query)[:limit]:
            seen.add(row.pk)
            objective = row.task.objective
            hits.append(
                SearchHit(
                    title=_row_title(objective.plan.title, objective.number or objective.order),
                    url=reverse("plans:row_show", args=[row.pk]),
                    snippet=snippet(_best_text(row, query), query),
                    detail=_("Current draft"),
                )
            )
    snapshots = UpdateSnapshot.objects.filter(update__plan__in=plans, schema=SNAPSHOT_SCHEMA)
    for term in query.terms:
        snapshots = snapshots.filter(data__icontains=term)
    newest = snapshots.select_related("update__plan").order_by("-update__issued_at")
    labels = _status_labels()
    for stored in newest[:UPDATES_SEARCHED]:
        if len(hits) >= limit:
            break
        update = stored.update
        (snapshot,) = decode_snapshots(update.plan_id, [stored.data], labels)
        for objective in snapshot.objectives:
            for task in objective.tasks:
                for row in task.rows:
                    if row.id in seen or not query.found_in(
                        objective.title, task.description, *(getattr(row, f) for f in ROW_FIELDS)
                    ):
                        continue
                    seen.add(row.id)
                    hits.append(
                        SearchHit(
                            title=_row_title(update.plan.title, objective.label),
                            url=reverse(
                                "plans:update_report", args=[update.plan.slug, update.number]
                            ),
                            snippet=snippet(_best_text(row, query), query),
                            date=update.issued_at.date() if update.issued_at else None,
                            detail=_("Update %(number)s") % {"number": update.number},
                        )
                    )
    return hits[:limit]


def _row_title(plan_title: str, objective: Any) -> str:
    return _("%(plan)s, objective %(objective)s") % {"plan": plan_title, "objective": objective}


def _best_text(row: Any, query: Query) -> str:
    """The row's field that holds most of the words (the outcome when none does)."""
    texts = [getattr(row, name) or "" for name in ROW_FIELDS]
    return max(texts, key=lambda text: sum(term in text.casefold() for term in query.terms))
