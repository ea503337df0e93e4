"""Writing a ParsedPlan into the database: the plan from the before text, Update N-1, the after
text, Update N, in one transaction."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from compact.models import Compact
from plans import parsing, services
from plans.importing.parsed import ParsedPlan, ParsedRow, PlanImportError, Text
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task
from plans.selectors import directory_for


@dataclass
class ImportResult:
    plan: ImplementationPlan
    updates: list[PlanUpdate]
    objectives: int
    tasks: int
    rows: int
    notes: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    """The non-blank lines of a cell (blank lines only separate paragraphs)."""
    return [line for line in text.split("\n") if line.strip()]


def _split_text(text: Text, count: int) -> list[Text] | None:
    """``text`` as ``count`` one-line pieces, in its after and before versions, or None when
    either version does not have exactly that many lines (an empty "before" is a new cell)."""
    after = _lines(text.after)
    if len(after) != count:
        return None
    if text.before == text.after:
        before = after
    elif not text.before:
        before = [""] * count
    else:
        before = _lines(text.before)
        if len(before) != count:
            return None
    return [Text(after=a.strip(), before=b.strip()) for a, b in zip(after, before, strict=True)]


def split_parallel_rows(parsed: ParsedPlan) -> list[str]:
    """Split every row whose outcome, responsibility and progress cells have the same number
    N >= 2 of lines into N rows, line by line; returns a note for each split."""
    notes: list[str] = []
    for objective in parsed.objectives:
        for task in objective.tasks:
            rows: list[ParsedRow] = []
            for row in task.rows:
                count = len(_lines(row.outcome.after))
                parts = (
                    [
                        _split_text(cell, count)
                        for cell in (row.outcome, row.responsibility, row.progress)
                    ]
                    if count >= 2
                    else [None]
                )
                if any(part is None for part in parts):
                    rows.append(row)
                    continue
                outcomes, responsibilities, progresses = parts
                timescales = _split_text(row.timescale, count)
                whole_timescale = timescales is None
                for line in range(count):
                    rows.append(
                        ParsedRow(
                            outcome=outcomes[line],  # type: ignore[index]
                            timescale=row.timescale if whole_timescale else timescales[line],  # type: ignore[index]
                            responsibility=responsibilities[line],  # type: ignore[index]
                            progress=progresses[line],  # type: ignore[index]
                            location=_("%(location)s, line %(line)s")
                            % {"location": row.location, "line": line + 1},
                        )
                    )
                note = _(
                    "%(location)s: %(count)s outcomes written line by line beside their "
                    "responsibility and progress were split into %(count)s rows."
                ) % {"location": row.location, "count": count}
                if whole_timescale and row.timescale.after:
                    note += " " + _(
                        "Its timescale (“%(timescale)s”) does not have a line per outcome, so "
                        "each row keeps all of it: check the dates."
                    ) % {"timescale": " / ".join(_lines(row.timescale.after))}
                notes.append(note)
            task.rows = rows
    return notes


def _row_data(row: ParsedRow, which: str) -> dict[str, str]:
    data = {
        "outcome": getattr(row.outcome, which),
        "timescale": getattr(row.timescale, which),
        "responsibility": getattr(row.responsibility, which),
        "progress": getattr(row.progress, which),
    }
    data["status"] = parsing.status_from_progress(data["progress"])
    return data


@contextmanager
def _problems_at(location: str) -> Iterator[None]:
    """Name the place in the document when a write refuses its text (too long, say)."""
    try:
        yield
    except ValidationError as exc:
        raise PlanImportError(
            _("%(location)s: %(problem)s")
            % {"location": location, "problem": "; ".join(exc.messages)}
        ) from exc


def _write(
    parsed: ParsedPlan,
    plan: ImplementationPlan,
    which: str,
    *,
    actor: Any,
    reason: str,
    directory: parsing.Directory,
    created: dict[int, Any],
) -> None:
    """Bring the plan to the ``which`` ("before"/"after") text. ``created`` maps id() of the
    parsed items to the objects already written, so the second pass updates them."""
    # Every item takes its position in the document as ``order``, also in the "before" pass
    # (leaving gaps where blue items will go), so adding the blue items never renumbers the
    # others and the report shows them as inserted, not as moves.
    for objective_position, parsed_objective in enumerate(parsed.objectives):
        if which == "before" and not parsed_objective.existed_before:
            continue
        statement = getattr(parsed_objective.statement, which)
        objective = created.get(id(parsed_objective))
        if objective is None:
            try:
                objective = services.objective_create(
                    plan=plan,
                    number=parsed_objective.number,
                    statement=statement,
                    actor=actor,
                    reason=reason,
                    order=objective_position,
                )
            except ValidationError as exc:
                raise PlanImportError(
                    _("Objective %(number)s: %(problem)s")
                    % {"number": parsed_objective.number, "problem": "; ".join(exc.messages)}
                ) from exc
            created[id(parsed_objective)] = objective
        elif objective.statement != statement:
            with _problems_at(_("Objective %(number)s") % {"number": parsed_objective.number}):
                objective = services.objective_update(
                    objective=objective,
                    expected_version=objective.version,
                    data={"statement": statement},
                    actor=actor,
                    reason=reason,
                )
            created[id(parsed_objective)] = objective
        for task_position, parsed_task in enumerate(parsed_objective.tasks):
            if which == "before" and not parsed_task.existed_before:
                continue
            description = getattr(parsed_task.description, which)
            task = created.get(id(parsed_task))
            task_location = _("Objective %(number)s, task %(task)d") % {
                "number": parsed_objective.number,
                "task": task_position + 1,
            }
            if task is None:
                with _problems_at(task_location):
                    task = services.task_create(
                        objective=objective,
                        description=description,
                        actor=actor,
                        reason=reason,
                        order=task_position,
                    )
                created[id(parsed_task)] = task
            elif task.description != description:
                with _problems_at(task_location):
                    task = services.task_update(
                        task=task,
                        expected_version=task.version,
                        data={"description": description},
                        actor=actor,
                        reason=reason,
                    )
                created[id(parsed_task)] = task
            for row_position, parsed_row in enumerate(parsed_task.rows):
                if which == "before" and not parsed_row.existed_before:
                    continue
                data = _row_data(parsed_row, which)
                row = created.get(id(parsed_row))
                try:
                    if row is None:
                        created[id(parsed_row)] = services.outcome_create(
                            task=task,
                            data=data,
                            actor=actor,
                            reason=reason,
                            directory=directory,
                            order=row_position,
                        )
                    elif any(getattr(row, key) != value for key, value in data.items()):
                        created[id(parsed_row)] = services.outcome_update(
                            outcome=row,
                            expected_version=row.version,
                            data=data,
                            actor=actor,
                            reason=reason,
                            directory=directory,
                        )
                except ValidationError as exc:
                    raise PlanImportError(
                        _("%(location)s: %(problem)s")
                        % {"location": parsed_row.location, "problem": "; ".join(exc.messages)}
                    ) from exc


def _refresh_versions(created: dict[int, Any]) -> None:
    """Read again the versions of the items written (``before_issue`` may have edited them),
    so the next pass's updates are not taken for conflicts. One query per kind of item."""
    by_model: dict[type, dict[int, Any]] = {}
    for item in created.values():
        by_model.setdefault(type(item), {})[item.pk] = item
    for model, items in by_model.items():
        for pk, version in model.objects.filter(pk__in=items).values_list("pk", "version"):
            items[pk].version = version


@transaction.atomic
def import_plan(
    parsed: ParsedPlan,
    *,
    compact: Compact,
    actor: Any,
    slug: str = "",
    title: str = "",
    number: int | None = None,
    date: datetime.date | None = None,
    previous_date: datetime.date | None = None,
    is_public: bool = False,
    on_step: Callable[[str], None] = lambda _message: None,
    before_issue: Callable[[ImplementationPlan], None] = lambda _plan: None,
) -> ImportResult:
    """Create a plan from a parsed document. With blue text: the plan without it is issued as
    Update N-1, then the blue text is applied and issued as Update N. All or nothing.

    Documents are read in English (they fill the English fields); ``before_issue`` is called
    with the plan before each update is issued (the demo adds its Welsh there)."""
    title = title or parsed.title or _("Implementation plan")
    if title.isupper():
        title = _title_case(title)
    slug = slug or slugify(title)[:80]
    if ImplementationPlan.objects.filter(slug=slug).exists():
        raise PlanImportError(
            _("A plan with the slug “%(slug)s” already exists; choose another with --plan.")
            % {"slug": slug}
        )
    if number is not None and number < 1:
        raise PlanImportError(
            _("The update number must be 1 or more (it was %(number)s).") % {"number": number}
        )
    if number is None:
        number = parsed.update_number or 1
    if date is None:
        date = parsed.update_date or timezone.localdate()
    if previous_date is not None and not (parsed.has_changes() and number > 1):
        raise PlanImportError(
            _(
                "A date for the previous update was given, but the document has no blue text "
                "(or its update number is 1), so only one update is issued: leave it out."
            )
        )
    plan = services.plan_create(
        compact=compact,
        title=title,
        slug=slug,
        period=parsed.period,
        is_public=is_public,
        actor=actor,
    )
    notes = split_parallel_rows(parsed)
    for note in notes:
        on_step(note)
    directory = directory_for(compact.pk)
    created: dict[int, Any] = {}
    updates: list[PlanUpdate] = []
    if parsed.has_changes() and number > 1:
        _write(
            parsed,
            plan,
            "before",
            actor=actor,
            reason=_("Imported: the plan as at Update %d") % (number - 1),
            directory=directory,
            created=created,
        )
        before_issue(plan)
        _refresh_versions(created)
        updates.append(
            services.plan_update_issue(
                plan=plan,
                actor=actor,
                date=previous_date or date,
                summary=_("Imported: the plan before the changes marked in Update %d.") % number,
                number=number - 1,
                notify=False,
            )
        )
        on_step(f"Issued Update {number - 1} (without the blue text).")
    _write(
        parsed,
        plan,
        "after",
        actor=actor,
        reason=_("Imported: Update %d") % number,
        directory=directory,
        created=created,
    )
    before_issue(plan)
    updates.append(
        services.plan_update_issue(
            plan=plan,
            actor=actor,
            date=date,
            summary=_("Imported from the document of Update %d.") % number,
            number=number,
            notify=False,
        )
    )
    on_step(f"Issued Update {number}.")
    return ImportResult(
        plan=plan,
        updates=updates,
        objectives=Objective.objects.filter(plan=plan).count(),
        tasks=Task.objects.filter(plan=plan).count(),
        rows=Outcome.objects.filter(plan=plan).count(),
        notes=notes,
    )


def _title_case(title: str) -> str:
    """ "THE MERTHYR TYDFIL COMPACT - IMPLEMENTATION PLAN 2008 -2011" ->
    "The Merthyr Tydfil Compact - Implementation Plan 2008-2011"."""
    words = re.sub(r"(\d{4})\s*[-–]\s*(\d{4})", r"\1-\2", title).split()
    return " ".join(word if not word.isalpha() else word.capitalize() for word in words)
