"""A synthetic plan for benchmarks and load tests: by default 20 objectives x 40 tasks x 3 rows
(2,400 rows) with 30 issued updates, each editing about 10% of the rows.

History is written with simple-history's bulk helpers, which write the history rows too, and
dated a month apart so each update marks a real point in the history.
"""

from __future__ import annotations

import datetime
import random

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from compact.models import Compact
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task
from plans.parsing import due_date_from_timescale
from plans.services import snapshots_store

START = datetime.datetime(2008, 1, 1, 9, 0, tzinfo=datetime.UTC)
WORDS = [
    "meetings",
    "held",
    "papers",
    "prepared",
    "circulated",
    "board",
    "agreed",
    "terms",
    "reference",
    "review",
    "partners",
    "voluntary",
    "sector",
    "funding",
    "code",
    "practice",
    "representatives",
    "compact",
    "officers",
    "progress",
    "report",
    "annual",
    "quarterly",
    "schedule",
    "membership",
    "training",
    "volunteering",
]


# Like the real plan: dated and open-ended timescales, most rows still open, some achieved.
TIMESCALES_AND_STATUSES = [
    ("Sept 08", Outcome.Status.ACHIEVED),
    ("March 2009", Outcome.Status.IN_PROGRESS),
    ("Dec 2010", Outcome.Status.NOT_STARTED),
    ("Ongoing", Outcome.Status.IN_PROGRESS),
    ("July 08", Outcome.Status.NOT_STARTED),
]


def _sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def synthetic_plan_build(
    *,
    compact: Compact,
    slug: str = "bench-plan",
    objectives: int = 20,
    tasks: int = 40,
    rows: int = 3,
    updates: int = 30,
    edit_share: float = 0.10,
    seed: int = 4,
) -> tuple[ImplementationPlan, list[PlanUpdate]]:
    """Build the synthetic plan and its issued updates (deterministic for a given seed)."""
    rng = random.Random(seed)
    plan = ImplementationPlan.objects.create(
        compact=compact, title="Synthetic plan 2008-2011", slug=slug
    )
    created_objectives = bulk_create_with_history(
        [
            Objective(plan=plan, number=number, order=number, statement=_sentence(rng, 30))
            for number in range(1, objectives + 1)
        ],
        Objective,
        default_date=START,
    )
    created_tasks = bulk_create_with_history(
        [
            Task(plan=plan, objective=objective, order=order, description=_sentence(rng, 8))
            for objective in created_objectives
            for order in range(1, tasks + 1)
        ],
        Task,
        default_date=START,
    )
    created_rows = bulk_create_with_history(
        [
            Outcome(
                plan=plan,
                task=task,
                order=order,
                outcome=_sentence(rng, 8),
                timescale=timescale,
                due_date=due_date_from_timescale(timescale),
                status=status,
                responsibility="VAMT (ID / AH)",
                progress=_sentence(rng, 15),
            )
            for task in created_tasks
            for order in range(1, rows + 1)
            for timescale, status in [rng.choice(TIMESCALES_AND_STATUSES)]
        ],
        Outcome,
        batch_size=500,
        default_date=START,
    )
    issued = [
        _edit_and_issue(plan, created_rows, number, rng, edit_share if number > 1 else 0.0)
        for number in range(1, updates + 1)
    ]
    return plan, issued


def synthetic_rows_edit(
    plan: ImplementationPlan, *, edit_share: float = 0.10, seed: int = 5
) -> None:
    """Edit ``edit_share`` of a synthetic plan's rows (a sentence added to their progress),
    dated a month after its last update, without issuing: the working draft."""
    rows = list(Outcome.objects.filter(plan=plan).order_by("id"))
    _edit(rows, random.Random(seed), edit_share, _edited_at(_next_number(plan)))


def synthetic_update_issue(
    plan: ImplementationPlan, *, edit_share: float = 0.10, seed: int = 5
) -> PlanUpdate:
    """Edit ``edit_share`` of the rows (none: issue the draft as it is) and issue the next
    update, a month after the last one."""
    rows = list(Outcome.objects.filter(plan=plan).order_by("id"))
    return _edit_and_issue(plan, rows, _next_number(plan), random.Random(seed), edit_share)


def _next_number(plan: ImplementationPlan) -> int:
    return (plan.updates.order_by("-number").values_list("number", flat=True).first() or 0) + 1


def _edited_at(number: int) -> datetime.datetime:
    return START + datetime.timedelta(days=30 * number)


def _edit(
    rows: list[Outcome], rng: random.Random, edit_share: float, edited_at: datetime.datetime
) -> None:
    edited = rng.sample(rows, int(len(rows) * edit_share))
    for row in edited:
        row.progress = row.progress + " " + _sentence(rng, 6)
        row.version += 1
    bulk_update_with_history(
        edited, Outcome, ["progress", "version"], batch_size=500, default_date=edited_at
    )


def _edit_and_issue(
    plan: ImplementationPlan,
    rows: list[Outcome],
    number: int,
    rng: random.Random,
    edit_share: float,
) -> PlanUpdate:
    edited_at = _edited_at(number)
    if edit_share:
        _edit(rows, rng, edit_share, edited_at)
    update = PlanUpdate.objects.create(
        plan=plan,
        number=number,
        date=edited_at.date(),
        summary=f"Update {number}",
        issued_at=edited_at + datetime.timedelta(hours=1),
    )
    # What plan_update_issue does as it issues (it dates updates now, hence not called).
    snapshots_store(plan, [update])
    return update
