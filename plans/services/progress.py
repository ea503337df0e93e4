"""Reading a progress spreadsheet back into the plan: all or nothing.

:func:`import_progress` checks the whole sheet first and refuses it, changing nothing, with
every problem listed by sheet row and column (:class:`ProgressImportError`). A sheet that passes
yields one :class:`RowChange` per edited row, handed to ``on_row``: by default (an officer) the
change is applied with :func:`plans.services.items.outcome_update`, the row editor's service, so
the history names the importer; a contributor's caller passes an ``on_row`` that makes a
proposal instead. Everything happens in one transaction with the plan locked.

Stale lines (the row was saved by someone else since the sheet was downloaded) are merged the
way the row editor merges (:func:`compact.platform.locking.three_way_merge`, from the row as it
was at the sheet's Version): a cell the sheet changed where the other person did not is
applied; a cell only the other person changed keeps their text; a cell both changed,
differently, refuses the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from compact.platform.history import history_model
from compact.platform.locking import three_way_merge
from compact.platform.spreadsheets import cell_problem
from compact.platform.uploads import open_zip
from plans import progress_sheet
from plans.models import PLAN_CELL_MAX_CHARS, ImplementationPlan, Outcome
from plans.permissions import can_edit_plan
from plans.progress_sheet import EDITABLE_COLUMNS, REQUIRED_HEADER, ROW_ID, VERSION
from plans.services.items import outcomes_update

MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the sheet: its row (None for the file as a whole) and column."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        place = _("Row %(row)d, %(column)s") % {"row": self.row, "column": self.column}
        return f"{place}: {self.message}"


class ProgressImportError(ValidationError):
    """The sheet is refused; ``problems`` lists every problem found. Nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__([str(problem) for problem in problems])


@dataclass(frozen=True)
class RowChange:
    """One edited line of a valid sheet: the row (read under the plan's lock, at
    ``current_version``), its sheet row, the version it was downloaded at, and the fields to
    change with their new values (after the three-way merge: only what the sheet changed)."""

    outcome: Outcome
    row: int
    base_version: int
    current_version: int
    fields: dict[str, str]

    @property
    def merged(self) -> bool:
        """Someone saved the row after the download; the sheet's changes were merged."""
        return self.base_version != self.current_version


@dataclass
class ProgressImport:
    """What an import did: the changes handed on, and how many lines were unchanged."""

    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def merged(self) -> int:
        return sum(1 for change in self.changes if change.merged)


OnRow = Callable[[RowChange], None]


def _read(file: Any) -> tuple[str, bytes]:
    """The name and bytes of a path or an uploaded file."""
    if isinstance(file, str | Path):
        path = Path(file)
        return path.name, path.read_bytes()
    name = str(getattr(file, "name", "") or "")
    if hasattr(file, "seek"):
        file.seek(0)
    return name, file.read(MAX_FILE_BYTES + 1)


def read_sheet(file: Any) -> progress_sheet.Sheet:
    """The sheet in an Excel (.xlsx) or CSV file, or :class:`ProgressImportError`."""
    name, content = _read(file)
    try:
        if len(content) > MAX_FILE_BYTES:
            raise progress_sheet.SheetUnreadable(_("The file is larger than 10 MB."))
        if name.lower().endswith(".csv"):
            return progress_sheet.read_csv_sheet(content)
        if name.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
            open_zip(content, name)  # refuses a zip bomb before the workbook is unpacked
            return progress_sheet.read_xlsx(content)
        raise progress_sheet.SheetUnreadable(
            _("Only Excel (.xlsx) and CSV (.csv) files can be imported.")
        )
    except ValidationError as exc:
        raise ProgressImportError([Problem(None, "", message) for message in exc.messages]) from exc
    except progress_sheet.SheetUnreadable as exc:
        raise ProgressImportError([Problem(None, "", str(exc))]) from exc


def _status_codes() -> dict[str, str]:
    """Every way a sheet may write a status (English or Welsh label, or the code) -> the code."""
    codes: dict[str, str] = {}
    for code, label in Outcome.Status.choices:
        codes[code.casefold()] = code
        for language in ("en", "cy"):
            with translation.override(language):
                codes[str(label).casefold()] = code
    return codes


def _ancestors(stale: dict[int, int], names: list[str]) -> dict[int, dict[str, Any]]:
    """Each stale row's fields as they were at the sheet's version (its last record at that
    version). One query."""
    if not stale:
        return {}
    found: dict[int, dict[str, Any]] = {}
    records = (
        history_model(Outcome)
        .objects.filter(id__in=list(stale), version__in=set(stale.values()))
        .order_by("history_date", "history_id")
        .values("id", "version", *names)
    )
    for record in records:
        if stale[record["id"]] == record["version"]:
            found[record["id"]] = {name: record[name] for name in names}
    return found


def _number(text: str) -> int | None:
    text = text.strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def _check(
    plan: ImplementationPlan, sheet: progress_sheet.Sheet, editable: Collection[str] | None
) -> tuple[list[RowChange], int]:
    """Every line of the sheet checked against the plan as it is now (locked by the caller):
    the changes, the count of unchanged lines, or ProgressImportError with every problem."""
    missing = [name for name in REQUIRED_HEADER if name not in sheet.header]
    if missing:
        raise ProgressImportError(
            [
                Problem(1, name, _("this column is missing; download a fresh spreadsheet."))
                for name in missing
            ]
        )
    columns = {name: key for name, key in EDITABLE_COLUMNS.items() if name in sheet.header}
    names = list(columns.values())
    rows = {row.pk: row for row in Outcome.objects.filter(plan=plan)}
    codes = _status_codes()
    statuses = ", ".join(str(label) for _code, label in Outcome.Status.choices)
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    parsed: list[tuple[int, Outcome, int, dict[str, str]]] = []
    foreign: dict[int, int] = {}
    for number, line in sheet.lines:
        pk = _number(line.get(ROW_ID, ""))
        version = _number(line.get(VERSION, ""))
        row = rows.get(pk) if pk is not None else None
        if pk is None:
            problems.append(Problem(number, ROW_ID, _("is not a row number.")))
        elif pk in seen:
            also = _("this row is also on row %(other)d.") % {"other": seen[pk]}
            problems.append(Problem(number, ROW_ID, also))
        elif row is None:
            foreign[pk] = number
        if pk is not None:
            seen.setdefault(pk, number)
        if version is None:
            problems.append(Problem(number, VERSION, _("is not a version number.")))
        submitted: dict[str, str] = {}
        for column, key in columns.items():
            cell = line.get(column, "")
            if (number, column) in sheet.formulas:
                problems.append(Problem(number, column, _("holds a formula; type the text.")))
                continue
            if key == "status":
                code = codes.get(cell.strip().casefold())
                if code is None:
                    problems.append(
                        Problem(
                            number,
                            column,
                            _("“%(value)s” is not a status; choose one of: %(statuses)s.")
                            % {"value": cell, "statuses": statuses},
                        )
                    )
                submitted[key] = code or ""
                continue
            text = progress_sheet.imported_text(cell, getattr(row, key, "") if row else "")
            found = cell_problem(text, max_chars=PLAN_CELL_MAX_CHARS)
            if found:
                problems.append(Problem(number, column, found))
            submitted[key] = text
        if row is not None and version is not None:
            parsed.append((number, row, version, submitted))
    if foreign:
        elsewhere = set(Outcome.objects.filter(pk__in=list(foreign)).values_list("pk", flat=True))
        for pk, number in foreign.items():
            message = (
                _("row %(pk)d belongs to another plan.")
                if pk in elsewhere
                else _("row %(pk)d is not in this plan (it may have been deleted).")
            )
            problems.append(Problem(number, ROW_ID, message % {"pk": pk}))
    stale = {row.pk: version for _n, row, version, _s in parsed if version != row.version}
    ancestors = _ancestors(stale, names)
    changes: list[RowChange] = []
    unchanged = 0
    labels = {name: column for column, name in columns.items()}
    for number, row, version, submitted in parsed:
        current = {name: getattr(row, name) for name in names}
        ancestor = current if row.pk not in stale else ancestors.get(row.pk)
        merge = three_way_merge(ancestor=ancestor, mine=submitted, theirs=current, fields=names)
        for name in merge.conflicts:
            problems.append(
                Problem(
                    number,
                    labels[name],
                    _(
                        "someone changed this row after the spreadsheet was downloaded (version "
                        "%(old)d, now %(new)d) and this cell differs from their text; download "
                        "a fresh spreadsheet, or edit the row in the browser."
                    )
                    % {"old": version, "new": row.version},
                )
            )
        edited = {name: merge.merged[name] for name, side in merge.sides.items() if side == "mine"}
        for name in edited:
            if editable is not None and name not in editable:
                message = _("this column cannot be changed here; put back what was downloaded.")
                problems.append(Problem(number, labels[name], message))
        if edited and not merge.conflicts:
            changes.append(RowChange(row, number, version, row.version, edited))
        elif not edited:
            unchanged += 1
    if problems:
        problems.sort(key=lambda problem: (problem.row or 0, problem.column))
        raise ProgressImportError(problems)
    return changes, unchanged


def import_progress(
    file: Any,
    plan: ImplementationPlan,
    user: Any,
    *,
    on_row: OnRow | None = None,
    reason: str = "",
    editable: Collection[str] | None = None,
) -> ProgressImport:
    """Read a progress spreadsheet back, all or nothing: check every line, then hand each
    edited row to ``on_row`` (default: apply it as an officer's edit), in one transaction.

    ``editable`` narrows the fields a line may change (a contributor proposes only some): an
    edited cell of another column is a problem. ``on_row`` may raise ValidationError (or
    PermissionDenied) to refuse a line: the problem is listed with its sheet row and the whole
    sheet is refused, nothing changed."""
    if on_row is None and not can_edit_plan(user, plan):
        raise PermissionDenied(_("Only officers may edit the implementation plan."))
    sheet = read_sheet(file)
    reason = reason or _("Progress spreadsheet import")
    with transaction.atomic():
        # Edits of the plan wait for the lock, so the rows checked are the rows changed.
        ImplementationPlan.objects.select_for_update().filter(pk=plan.pk).values_list(
            "pk", flat=True
        ).first()
        changes, unchanged = _check(plan, sheet, editable)
        if on_row is None:
            # The row editor's write, for every row in one go (see outcomes_update).
            try:
                outcomes_update(
                    plan=plan,
                    changes=[(c.outcome.pk, c.current_version, c.fields) for c in changes],
                    actor=user,
                    reason=reason,
                )
            except ValidationError as exc:  # checked above; a rule of the model's own
                raise ProgressImportError([Problem(None, "", m) for m in exc.messages]) from exc
            return ProgressImport(changes=changes, unchanged=unchanged)
        problems: list[Problem] = []
        for change in changes:
            change.outcome.plan = plan
            try:
                with transaction.atomic():  # a savepoint: a refused line undoes its writes
                    on_row(change)
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                problems.extend(Problem(change.row, ROW_ID, message) for message in messages)
        if problems:
            raise ProgressImportError(problems)
    return ProgressImport(changes=changes, unchanged=unchanged)
