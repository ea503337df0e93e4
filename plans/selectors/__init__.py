"""Reads of the live plan, each a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from compact.models import Body, Organisation, Person
from plans import parsing
from plans.models import ImplementationPlan, Objective, Outcome, Task

DUE_SOON_DAYS = parsing.DUE_SOON_DAYS
OPEN_STATUSES = (Outcome.Status.NOT_STARTED, Outcome.Status.IN_PROGRESS, Outcome.Status.DEFERRED)


def overdue_filter(today: datetime.date) -> Q:
    """Rows that are overdue on ``today``: the query form of :func:`plans.parsing.is_overdue`
    (deferred, achieved and no longer required rows never are)."""
    return Q(due_date__lt=today, status__in=sorted(parsing.OVERDUE_STATUSES))


def directory_for(compact_id: int | None) -> parsing.Directory:
    """Who responsibility text can name: people by initials, the compact's bodies, every
    organisation. Three queries."""
    people = {
        initials.upper(): pk
        for pk, initials in Person.objects.exclude(initials="").values_list("pk", "initials")
    }
    bodies: dict[str, int] = {}
    board_id = None
    for pk, name, short_name, kind in Body.objects.filter(compact_id=compact_id).values_list(
        "pk", "name", "short_name", "kind"
    ):
        for text in (name, short_name):
            if text:
                bodies[parsing.normalise_name(text)] = pk
        if kind == Body.Kind.BOARD and board_id is None:
            board_id = pk
    organisations: dict[str, int] = {}
    for pk, name, short_name in Organisation.objects.values_list("pk", "name", "short_name"):
        for text in (name, short_name):
            if text:
                organisations[parsing.normalise_name(text)] = pk
    return parsing.Directory(
        people=people, bodies=bodies, organisations=organisations, board_id=board_id
    )


def plan_list() -> QuerySet[ImplementationPlan]:
    return ImplementationPlan.objects.select_related("compact").order_by("-created_at")


def plan_by_slug(slug: str) -> ImplementationPlan:
    return ImplementationPlan.objects.select_related("compact").get(slug=slug)


def plan_tree(plan: ImplementationPlan, objective_id: int | None = None) -> list[Objective]:
    """The live plan (or one objective of it), objectives -> tasks -> rows, in order: three
    queries."""
    outcomes = Outcome.objects.order_by("order", "id")
    tasks = Task.objects.order_by("order", "id").prefetch_related(
        Prefetch("outcomes", queryset=outcomes)
    )
    objectives = Objective.objects.filter(plan=plan)
    if objective_id is not None:
        objectives = objectives.filter(pk=objective_id)
    return list(
        objectives.order_by("order", "id").prefetch_related(Prefetch("tasks", queryset=tasks))
    )


def objective_outline(plan: ImplementationPlan) -> list[Objective]:
    """The plan's objectives in order, without their statements, each with its row count: the
    editor's contents list (one query)."""
    return list(
        Objective.objects.filter(plan=plan)
        .only("id", "plan_id", "number", "title", "title_cy", "order")
        .annotate(row_count=Count("tasks__outcomes"))
        .order_by("order", "id")
    )


@dataclass
class RowFilter:
    """Filters of the rows list; empty means no filter."""

    objective_id: int | None = None
    text: str = ""
    status: str = ""
    person_id: int | None = None
    body_id: int | None = None
    organisation_id: int | None = None
    overdue: bool = False
    due_soon: bool = False


def rows_for_person(person: Person) -> Q:
    """Rows a person answers for: named by initials, or a body they sit on (a current
    membership) or their organisation is named. Bodies and organisations count because the
    plan often gives a row to "Compact Officers Group" or "VAMT" rather than to a person."""
    today = timezone.localdate()
    current_bodies = person.memberships.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    condition = Q(responsible_people=person) | Q(
        responsible_bodies__in=current_bodies.values("body_id")
    )
    if person.organisation_id:
        condition |= Q(responsible_organisations=person.organisation_id)
    return condition


def rows_answered_by(
    person: Person, *, plan: ImplementationPlan | None = None, open_only: bool = True
) -> QuerySet[Outcome]:
    """The rows a person answers for, still open unless ``open_only`` is off, in the plan's
    order with the rows naming them by initials first (``row.names_me``). One query.

    The one place that decides "my rows": where an officer confirmed who answers for a row
    (``RowContributors``, the update calls' links), the people it names and the lead contacts
    of the organisations it names; elsewhere :func:`rows_for_person`, the plan's parser's
    reading (the row names their initials, a body they sit on or their organisation)."""
    named = Outcome.responsible_people.through.objects.filter(
        person=person, outcome_id=OuterRef("pk")
    )
    confirmed = Q(contributors__people=person) | Q(
        contributors__organisations__lead_contacts=person
    )
    parsed = Q(contributors__isnull=True) & rows_for_person(person)
    rows = Outcome.objects.filter(pk__in=Outcome.objects.filter(confirmed | parsed).values("pk"))
    if plan is not None:
        rows = rows.filter(plan=plan)
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    return (
        rows.annotate(names_me=Exists(named))
        .select_related("plan", "task__objective")
        .order_by("-names_me", *ROW_ORDER)
    )


# The plan's order: objective, task, row.
ROW_ORDER = ("task__objective__order", "task__objective_id", "task__order", "task_id", "order")


def plan_rows(
    plan: ImplementationPlan,
    filters: RowFilter | None = None,
    *,
    person: Person | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Outcome]:
    """Rows of the plan matching the filters, with task and objective, in the plan's order:
    one query (a paginated list slices and counts it)."""
    filters = filters or RowFilter()
    today = today or timezone.localdate()
    rows = Outcome.objects.filter(plan=plan)
    if filters.objective_id:
        rows = rows.filter(task__objective_id=filters.objective_id)
    for word in filters.text.split():
        rows = rows.filter(
            Q(outcome__icontains=word)
            | Q(progress__icontains=word)
            | Q(timescale__icontains=word)
            | Q(responsibility__icontains=word)
            | Q(task__description__icontains=word)
            | Q(outcome_cy__icontains=word)
            | Q(progress_cy__icontains=word)
            | Q(timescale_cy__icontains=word)
            | Q(responsibility_cy__icontains=word)
            | Q(task__description_cy__icontains=word)
        )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.person_id:
        rows = rows.filter(responsible_people=filters.person_id)
    if filters.body_id:
        rows = rows.filter(responsible_bodies=filters.body_id)
    if filters.organisation_id:
        rows = rows.filter(responsible_organisations=filters.organisation_id)
    if filters.overdue:
        rows = rows.filter(overdue_filter(today))
    if filters.due_soon:
        rows = rows.filter(
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            status__in=OPEN_STATUSES,
        )
    if person is not None:
        rows = rows.filter(rows_for_person(person))
    ids = rows.values("pk")
    return Outcome.objects.filter(pk__in=ids).select_related("task__objective").order_by(*ROW_ORDER)


PANEL_ROWS = 8  # rows shown per list on the dashboard; the count covers them all


@dataclass
class RowGroup:
    """The first PANEL_ROWS rows of a list and how many there are in all."""

    rows: list[Outcome]
    count: int


def _group(rows: QuerySet[Outcome]) -> RowGroup:
    return RowGroup(list(rows[:PANEL_ROWS]), rows.count())


def dashboard_rows(
    plan: ImplementationPlan, *, person: Person | None, today: datetime.date | None = None
) -> dict[str, RowGroup]:
    """Overdue rows, rows due in the next 60 days and the person's own open rows; rows that
    name the person by initials come before those reaching them through a body or their
    organisation (``row.names_me``). A few queries whatever the plan's size: each list is cut
    to PANEL_ROWS in the database and counted there."""
    today = today or timezone.localdate()
    result = {
        "overdue": _group(plan_rows(plan, RowFilter(overdue=True), today=today)),
        "due_soon": _group(plan_rows(plan, RowFilter(due_soon=True), today=today)),
        "mine": RowGroup([], 0),
    }
    if person is not None:
        result["mine"] = _group(rows_answered_by(person, plan=plan))
    return result


def current_plan() -> ImplementationPlan | None:
    return ImplementationPlan.objects.select_related("compact").order_by("-created_at").first()


# --- Rows a meeting's action may link to (compact.links.ActionLinkTarget) -----------------


def _row_label(row: Outcome) -> str:
    text = " ".join((row.outcome or str(row.task)).split())
    return f"{row.plan.title}: {text[:90]}"


def action_link_choices() -> list[tuple[int, str]]:
    """The current plan's open rows, for an action's "linked rows" (one or two queries)."""
    plan = current_plan()
    if plan is None:
        return []
    rows = (
        Outcome.objects.filter(plan=plan, status__in=OPEN_STATUSES)
        .select_related("plan", "task")
        .order_by("task__objective__order", "task__order", "order", "pk")
    )
    return [(row.pk, _row_label(row)) for row in rows]


def action_link_rows(ids: list[int]) -> dict[int, tuple[str, str]]:
    """``{row id: (label, address)}`` of the rows that still exist (one query)."""
    rows = Outcome.objects.filter(pk__in=ids).select_related("plan", "task")
    return {
        row.pk: (_row_label(row), reverse("plans:row_show", kwargs={"pk": row.pk})) for row in rows
    }
