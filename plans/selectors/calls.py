"""Reads for update calls: who answers for which rows, a contributor's rows, the review queue
and its completeness. Each a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from compact.models import Organisation, Person
from plans.models import (
    CallRequest,
    ImplementationPlan,
    Objective,
    Outcome,
    PlanUpdate,
    Proposal,
    RowContributors,
    Task,
    UpdateCall,
)


@dataclass
class RowLinks:
    """Who answers for one row: people named, organisations named (their lead contacts
    answer), and whether an officer confirmed it or it is the parser's reading."""

    people: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    confirmed: bool = False


def row_links(rows: list[Outcome]) -> dict[int, RowLinks]:
    """The confirmed links of each row, else what the parser read from its responsibility.
    Five queries."""
    ids = [row.pk for row in rows]
    links: dict[int, RowLinks] = {pk: RowLinks() for pk in ids}
    confirmed = RowContributors.objects.filter(outcome_id__in=ids)
    through_people = RowContributors.people.through.objects.filter(
        rowcontributors__outcome_id__in=ids
    ).values_list("rowcontributors__outcome_id", "person_id")
    through_orgs = RowContributors.organisations.through.objects.filter(
        rowcontributors__outcome_id__in=ids
    ).values_list("rowcontributors__outcome_id", "organisation_id")
    for outcome_id in confirmed.values_list("outcome_id", flat=True):
        links[outcome_id].confirmed = True
    for outcome_id, person_id in through_people:
        links[outcome_id].people.add(person_id)
    for outcome_id, organisation_id in through_orgs:
        links[outcome_id].organisations.add(organisation_id)
    parsed_people = Outcome.responsible_people.through.objects.filter(outcome_id__in=ids)
    parsed_orgs = Outcome.responsible_organisations.through.objects.filter(outcome_id__in=ids)
    for outcome_id, person_id in parsed_people.values_list("outcome_id", "person_id"):
        if not links[outcome_id].confirmed:
            links[outcome_id].people.add(person_id)
    for outcome_id, org_id in parsed_orgs.values_list("outcome_id", "organisation_id"):
        if not links[outcome_id].confirmed:
            links[outcome_id].organisations.add(org_id)
    return links


def lead_contacts() -> dict[int, set[int]]:
    """Each organisation's lead contacts (person ids). One query."""
    leads: dict[int, set[int]] = defaultdict(set)
    pairs = Organisation.lead_contacts.through.objects.values_list("organisation_id", "person_id")
    for organisation_id, person_id in pairs:
        leads[organisation_id].add(person_id)
    return leads


def people_to_ask(plan: ImplementationPlan) -> dict[int, set[int]]:
    """{person id: ids of the rows they answer for}: the people a row names and the lead
    contacts of the organisations it names. Achieved and no-longer-required rows are not asked.
    Seven queries."""
    rows = list(
        Outcome.objects.filter(plan=plan)
        .exclude(status__in=[Outcome.Status.ACHIEVED, Outcome.Status.NO_LONGER_REQUIRED])
        .only("pk")
    )
    links = row_links(rows)
    leads = lead_contacts()
    asked: dict[int, set[int]] = defaultdict(set)
    for row_id, link in links.items():
        for person_id in link.people | {
            lead for org in link.organisations for lead in leads.get(org, ())
        }:
            asked[person_id].add(row_id)
    return dict(asked)


def open_call(plan: ImplementationPlan) -> UpdateCall | None:
    return UpdateCall.objects.filter(plan=plan, closed_at__isnull=True).first()


def calls_for_person(person: Person | None) -> QuerySet[UpdateCall]:
    """The calls that asked this person for rows, newest first."""
    if person is None:
        return UpdateCall.objects.none()
    return (
        UpdateCall.objects.filter(requests__person=person)
        .distinct()
        .select_related("plan")
        .order_by("-opened_at")
    )


def my_rows(call: UpdateCall, person: Person | None) -> list[Outcome]:
    """The rows of the call asked of this person, in the plan's order, each with
    ``proposal`` (this person's, or None) and ``issued`` (the row as the latest issued update
    shows it, or None when it is new since). Four queries."""
    if person is None:
        return []
    rows = list(
        Outcome.objects.filter(
            pk__in=CallRequest.objects.filter(call=call, person=person).values("outcome_id")
        )
        .select_related("task__objective")
        .order_by("task__objective__order", "task__order", "order", "pk")
    )
    proposals = {
        proposal.outcome_id: proposal
        for proposal in Proposal.objects.filter(call=call, person=person)
    }
    issued = issued_rows(call.plan, [row.pk for row in rows])
    for row in rows:
        # Decorations for the page (not model fields).
        setattr(row, "proposal", proposals.get(row.pk))  # noqa: B010
        setattr(row, "issued", issued.get(row.pk))  # noqa: B010
    return rows


def issued_rows(plan: ImplementationPlan, ids: list[int]) -> dict[int, Any]:
    """The history record of each row as the plan's latest issued update shows it. Two
    queries (the update, the history)."""
    latest = PlanUpdate.objects.filter(plan=plan).order_by("-number").first()
    if latest is None or not ids:
        return {}
    found: dict[int, Any] = {}
    records = (
        Outcome.history.filter(id__in=ids, history_date__lte=latest.issued_at)
        .order_by("id", "-history_date", "-history_id")
        .only("id", "progress", "progress_cy", "status", "timescale", "timescale_cy",
              "history_type")
    )  # fmt: skip
    for record in records:
        if record.id not in found:
            found[record.id] = record
    return {pk: record for pk, record in found.items() if record.history_type != "-"}


@dataclass
class Completeness:
    label: str
    asked: int
    answered: int
    key: Any = None

    @property
    def complete(self) -> bool:
        return self.asked > 0 and self.answered >= self.asked


@dataclass
class ReviewQueue:
    call: UpdateCall
    by_person: list[Completeness]
    by_objective: list[Completeness]
    asked: int
    answered: int
    proposals: list[Proposal]


def review_queue(call: UpdateCall) -> ReviewQueue:
    """The call's completeness (rows answered / asked, per contributor and per objective) and
    its proposals in the plan's order, each with its row, task and contributor. Five queries."""
    requests = list(
        CallRequest.objects.filter(call=call)
        .select_related("person", "outcome__task__objective")
        .only(
            "outcome_id",
            "person_id",
            "person__full_name",
            "outcome__task__objective__number",
            "outcome__task__objective__order",
        )
    )
    proposals = list(
        Proposal.objects.filter(call=call)
        .select_related("person", "outcome__task__objective", "author", "decided_by")
        .order_by(
            "outcome__task__objective__order",
            "outcome__task__order",
            "outcome__order",
            "outcome_id",
            "pk",
        )
    )
    answered_pairs = {(p.outcome_id, p.person_id) for p in proposals}
    answered_rows = {p.outcome_id for p in proposals}
    per_person: dict[int, Completeness] = {}
    per_objective: dict[int, Completeness] = {}
    objective_rows: dict[int, set[int]] = defaultdict(set)
    objectives: dict[int, Objective] = {}
    for request in requests:
        person = per_person.setdefault(
            request.person_id, Completeness(request.person.full_name, 0, 0, request.person_id)
        )
        person.asked += 1
        person.answered += (request.outcome_id, request.person_id) in answered_pairs
        objective = request.outcome.task.objective
        objectives[objective.pk] = objective
        objective_rows[objective.pk].add(request.outcome_id)
    for objective_id, rows in objective_rows.items():
        objective = objectives[objective_id]
        per_objective[objective_id] = Completeness(
            objective.heading, len(rows), len(rows & answered_rows), objective.order
        )
    all_rows = {request.outcome_id for request in requests}
    return ReviewQueue(
        call=call,
        by_person=sorted(per_person.values(), key=lambda c: c.label),
        by_objective=sorted(per_objective.values(), key=lambda c: c.key),
        asked=len(all_rows),
        answered=len(all_rows & answered_rows),
        proposals=proposals,
    )


def contributors_page(plan: ImplementationPlan, objective: Objective | None) -> list[Objective]:
    """The plan's objectives (or one) with their rows and each row's ``links``. Seven
    queries."""
    rows_qs = Outcome.objects.order_by("order", "pk")
    objectives = Objective.objects.filter(plan=plan).order_by("order", "pk")
    if objective is not None:
        objectives = objectives.filter(pk=objective.pk)
    objectives = list(
        objectives.prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("outcomes", queryset=rows_qs)
                ),
            )
        )
    )
    rows = [row for o in objectives for task in o.tasks.all() for row in task.outcomes.all()]
    links = row_links(rows)
    for row in rows:
        setattr(row, "links", links[row.pk])  # noqa: B010 - a decoration for the page
    return objectives
