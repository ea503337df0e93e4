"""Import a plan from today's documents: the plain-text export of the Word plan (the seed,
``compact/demo_data/implementation-plan-update-4.txt``) or the Word ``.docx`` itself.

Both readers produce a :class:`ParsedPlan` in which every piece of text has two versions:
``after`` (as the document reads) and ``before`` (without the text coloured blue, i.e. as the
previous update read). :func:`import_plan` then creates the plan from the ``before`` text,
issues Update N-1, applies the ``after`` text and issues Update N, so the history starts true
and Update N's report shows the blue text as its changes. A document without blue text makes
one update only. Everything happens in one transaction: any error leaves nothing behind.

Layout of the text export (Word's "tab-delimited" save): every table cell, and every heading,
starts on a line that begins with a tab; lines without a leading tab continue the cell above
(multi-line cells, paragraphs separated by blank lines). Each objective is a cell
"OBJECTIVE n" followed by its statement, then the header row (Tasks, Outcomes / Indicators,
Timescale, Responsibility, Progress), then the table's cells five by five. A row whose Tasks
cell is empty continues the task above. Word drops the empty cells at the very end of the
document, so only the last row of the file may be short; it is padded with empty cells.

A row whose Outcome, Responsibility and Progress cells each hold the same number N (2 or more)
of lines (objective 2, "Circulate the Compact document": six outcomes, each with its
responsible people and its progress on the matching line) is N parallel rows typed into one:
:func:`split_parallel_rows` makes them N rows, so who did what stays readable once a cell wraps.
The timescale goes with them line by line when it has N lines too; otherwise (two dates for
six outcomes) each row keeps the whole timescale, because which date belongs to which line
would be a guess. Every split is listed in the import's notes.
"""

from __future__ import annotations

import datetime
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from compact.models import Compact
from compact.platform.uploads import open_zip
from plans import parsing, services
from plans.models import ImplementationPlan, Objective, Outcome, PlanUpdate, Task
from plans.selectors import directory_for

HEADER = ("Tasks", "Outcomes / Indicators", "Timescale", "Responsibility", "Progress")
COLUMNS = len(HEADER)
_OBJECTIVE = re.compile(r"^\s*OBJECTIVE\s+(\d+)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)
_UPDATE = re.compile(
    r"Update\s+(?P<number>\d+)\s*[-–]\s*Dated\s+(?P<date>.+?)\s*(\(|$)", re.IGNORECASE
)
_TITLE_PERIOD = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})\s*$")

# A Word plan is read only within these limits, so a small file cannot unpack into minutes of
# work and gigabytes of memory (a 44 KB .docx holding 30 MB of XML took 283 s and 1.2 GB). The
# parts are counted in the raw XML before it is parsed. Update 4 (51 rows) needs ~1% of each;
# the slowest document within them reads in a few seconds. The time limit is the backstop.
DOCX_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
DOCX_MAX_PARAGRAPHS = 20_000
DOCX_MAX_ELEMENTS = 500_000
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")


class PlanImportError(ValidationError):
    """The document cannot be imported; the message names the place and what is wrong."""


@dataclass
class Text:
    """A piece of text as the document reads (after) and without its blue runs (before)."""

    after: str = ""
    before: str = ""

    @classmethod
    def plain(cls, text: str) -> Text:
        text = clean_text(text)
        return cls(after=text, before=text)

    @property
    def is_new(self) -> bool:
        return bool(self.after) and not self.before


@dataclass
class ParsedRow:
    outcome: Text
    timescale: Text
    responsibility: Text
    progress: Text
    location: str

    def cells(self) -> tuple[Text, ...]:
        return (self.outcome, self.timescale, self.responsibility, self.progress)

    @property
    def existed_before(self) -> bool:
        return any(cell.before for cell in self.cells()) or not any(
            cell.after for cell in self.cells()
        )


@dataclass
class ParsedTask:
    description: Text
    rows: list[ParsedRow] = field(default_factory=list)

    @property
    def existed_before(self) -> bool:
        return bool(self.description.before)


@dataclass
class ParsedObjective:
    number: int
    statement: Text
    tasks: list[ParsedTask] = field(default_factory=list)

    @property
    def existed_before(self) -> bool:
        return bool(self.statement.before) or any(task.existed_before for task in self.tasks)


@dataclass
class ParsedPlan:
    title: str = ""
    period: str = ""
    update_number: int | None = None
    update_date: datetime.date | None = None
    objectives: list[ParsedObjective] = field(default_factory=list)

    def has_changes(self) -> bool:
        """True when some text differs between the previous version and this one."""
        for objective in self.objectives:
            if objective.statement.after != objective.statement.before:
                return True
            for task in objective.tasks:
                if task.description.after != task.description.before:
                    return True
                for row in task.rows:
                    if any(cell.after != cell.before for cell in row.cells()):
                        return True
        return False


def clean_text(text: str) -> str:
    """Trailing spaces off each line, no leading/trailing blank lines, one blank line at most
    between paragraphs. Word's manual line and page breaks (vertical tab, form feed) become
    line breaks: they are layout, and a cell of the plan holds no control characters."""
    text = (
        text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    )
    lines = [line.rstrip() for line in text.split("\n")]
    result: list[str] = []
    for line in lines:
        if not line and (not result or not result[-1]):
            continue
        result.append(line)
    while result and not result[-1]:
        result.pop()
    return "\n".join(result)


def _parse_date(text: str) -> datetime.date | None:
    match = re.search(
        r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})", text or "", re.IGNORECASE
    )
    if not match:
        return None
    month = parsing.MONTHS.get(match[2].lower())
    if month is None:
        return None
    try:
        return datetime.date(int(match[3]), month, int(match[1]))
    except ValueError:
        return None


def _read_preamble(lines: Iterable[str], parsed: ParsedPlan) -> None:
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        update = _UPDATE.search(line)
        if update:
            parsed.update_number = int(update["number"])
            parsed.update_date = _parse_date(update["date"])
        elif not parsed.title:
            parsed.title = line
            period = _TITLE_PERIOD.search(line)
            if period:
                parsed.period = f"{period[1]}-{period[2]}"


def _header_matches(cells: list[str]) -> bool:
    return [parsing.normalise_name(cell) for cell in cells] == [
        parsing.normalise_name(name) for name in HEADER
    ]


def _rows_into_objective(objective: ParsedObjective, rows: list[tuple[int, list[Text]]]) -> None:
    """Attach table rows (row number, five cells) to the objective's tasks."""
    for row_number, cells in rows:
        location = _("Objective %(number)s, table row %(row)s") % {
            "number": objective.number,
            "row": row_number,
        }
        if len(cells) != COLUMNS:
            raise PlanImportError(
                _("%(location)s: expected %(expected)s columns, found %(found)s.")
                % {"location": location, "expected": COLUMNS, "found": len(cells)}
            )
        task_cell, outcome, timescale, responsibility, progress = cells
        if task_cell.after:
            objective.tasks.append(ParsedTask(description=task_cell))
        elif not objective.tasks:
            raise PlanImportError(
                _(
                    "%(location)s: the Tasks cell is empty but there is no task above it to "
                    "continue."
                )
                % {"location": location}
            )
        objective.tasks[-1].rows.append(
            ParsedRow(
                outcome=outcome,
                timescale=timescale,
                responsibility=responsibility,
                progress=progress,
                location=location,
            )
        )


# --- the text export ----------------------------------------------------------------------


def parse_text(content: str) -> ParsedPlan:
    """Read the tab-indented text export (see the module docstring for its layout)."""
    parsed = ParsedPlan()
    preamble: list[str] = []
    cells: list[list[str]] = []
    for line in content.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
        else:
            preamble.append(line)
    _read_preamble(preamble, parsed)
    texts = [clean_text("\n".join(cell)) for cell in cells]

    index = 0
    if texts and not _OBJECTIVE.match(texts[0].split("\n", 1)[0]):
        raise PlanImportError(
            _("The document must start with an OBJECTIVE heading; found “%(text)s”.")
            % {"text": texts[0][:60]}
        )
    while index < len(texts):
        first_line, _sep, rest = texts[index].partition("\n")
        heading = _OBJECTIVE.match(first_line)
        if heading is None:  # pragma: no cover - guarded by the loop below
            raise PlanImportError(_("Unexpected text: “%(text)s”.") % {"text": first_line[:60]})
        number = int(heading[1])
        statement = clean_text("\n".join(part for part in (heading[2], rest) if part))
        objective = ParsedObjective(number=number, statement=Text.plain(statement))
        index += 1
        header = texts[index : index + COLUMNS]
        if not _header_matches(header):
            raise PlanImportError(
                _(
                    "Objective %(number)s: expected the table header (%(header)s) after the "
                    "statement, found “%(found)s”."
                )
                % {
                    "number": number,
                    "header": ", ".join(HEADER),
                    "found": " | ".join(header)[:120],
                }
            )
        index += COLUMNS
        body: list[str] = []
        while index < len(texts) and not _OBJECTIVE.match(texts[index].split("\n", 1)[0]):
            body.append(texts[index])
            index += 1
        is_last = index >= len(texts)
        rows: list[tuple[int, list[Text]]] = []
        for start in range(0, len(body), COLUMNS):
            chunk = body[start : start + COLUMNS]
            if len(chunk) < COLUMNS and is_last:
                chunk = chunk + [""] * (COLUMNS - len(chunk))
            rows.append((start // COLUMNS + 2, [Text.plain(cell) for cell in chunk]))
        _rows_into_objective(objective, rows)
        parsed.objectives.append(objective)
    if not parsed.objectives:
        raise PlanImportError(_("No OBJECTIVE heading found: is this an implementation plan?"))
    return parsed


# --- Word .docx ---------------------------------------------------------------------------


def _is_blue(run: Any) -> bool:
    """Blue as Word users colour their changes: an RGB colour that is clearly blue (0000FF,
    0070C0, ...) or the theme's first accent colour (blue in Office themes)."""
    from docx.enum.dml import MSO_COLOR_TYPE, MSO_THEME_COLOR

    color = run.font.color
    if color is None or color.type is None:
        return False
    # A theme colour wins over the RGB value Word stores beside it (its last rendering).
    if color.type == MSO_COLOR_TYPE.THEME:
        return color.theme_color in {MSO_THEME_COLOR.ACCENT_1, MSO_THEME_COLOR.HYPERLINK}
    if color.rgb is None:
        return False
    red, green, blue = color.rgb[0], color.rgb[1], color.rgb[2]
    return blue >= 0x99 and blue >= red + 0x40 and blue >= green + 0x20


def _paragraph_text(paragraph: Any) -> Text:
    """The paragraph as it reads now (after) and as it read before its changes: blue runs and
    tracked insertions (``w:ins``) are new; tracked deletions (``w:del``) were there before."""
    from docx.oxml.ns import qn
    from docx.text.run import Run

    paragraph_tag, inserted_tag, deleted_tag = qn("w:p"), qn("w:ins"), qn("w:del")
    after: list[str] = []
    before: list[str] = []
    for element in paragraph._p.iter(qn("w:r")):
        inserted = deleted = False
        parent = element.getparent()
        while parent is not None and parent.tag != paragraph_tag:
            inserted = inserted or parent.tag == inserted_tag
            deleted = deleted or parent.tag == deleted_tag
            parent = parent.getparent()
        if deleted:
            before.append("".join(node.text or "" for node in element.iter(qn("w:delText"))))
            continue
        run = Run(element, paragraph)
        after.append(run.text)
        if not inserted and not _is_blue(run):
            before.append(run.text)
    return Text(after="".join(after), before="".join(before))


class _Deadline:
    """Stops a Word document that takes longer to read than ``PLAN_IMPORT_MAX_SECONDS``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise PlanImportError(
                _(
                    "Reading this document took longer than %(seconds)s seconds, so it was "
                    "stopped and nothing was imported. Save a copy holding only the plan, or "
                    "import its text export (.txt)."
                )
                % {"seconds": f"{self.seconds:g}"}
            )


def _check_docx_size(data: bytes) -> None:
    """Refuse a document that would unpack or parse into far more than a plan, before it is
    parsed."""
    try:
        archive = open_zip(data, _("This document"), max_bytes=DOCX_MAX_UNPACKED_BYTES)
        body = archive.read("word/document.xml")
    except ValidationError as exc:
        if exc.code == "too_large_unpacked":
            raise PlanImportError(exc.messages) from exc
        raise PlanImportError(_("This file could not be read as a Word (.docx) document.")) from exc
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise PlanImportError(_("This file could not be read as a Word (.docx) document.")) from exc
    paragraphs = len(_PARAGRAPH_TAG.findall(body))
    elements = body.count(b"<")
    if paragraphs > DOCX_MAX_PARAGRAPHS or elements > DOCX_MAX_ELEMENTS:
        raise PlanImportError(
            _(
                "This document holds far more than a plan (%(paragraphs)s paragraphs, "
                "%(elements)s XML elements; we read at most %(max_paragraphs)s and "
                "%(max_elements)s), so it may be padded or damaged. Nothing was imported. Save "
                "a copy holding only the plan, or import its text export (.txt)."
            )
            % {
                "paragraphs": f"{paragraphs:,}",
                "elements": f"{elements:,}",
                "max_paragraphs": f"{DOCX_MAX_PARAGRAPHS:,}",
                "max_elements": f"{DOCX_MAX_ELEMENTS:,}",
            }
        )


def _paragraphs_text(paragraphs: Iterable[Any], deadline: _Deadline) -> Text:
    deadline.check()
    parts = [_paragraph_text(paragraph) for paragraph in paragraphs]
    return Text(
        after=clean_text("\n".join(part.after for part in parts)),
        before=clean_text("\n".join(part.before for part in parts)),
    )


def parse_docx(data: bytes) -> ParsedPlan:
    """Read a Word plan: headings "OBJECTIVE n", statement paragraphs, then a five-column
    table per objective (first row the header). Blue runs are that update's changes."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_docx_size(data)
    deadline = _Deadline(settings.PLAN_IMPORT_MAX_SECONDS)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a file that is not .docx
        raise PlanImportError(_("This file could not be read as a Word (.docx) document.")) from exc
    parsed = ParsedPlan()
    preamble: list[str] = []
    current: ParsedObjective | None = None
    heading_rest = ""
    statement: list[Any] = []
    for block in document.iter_inner_content():
        deadline.check()
        if isinstance(block, Paragraph):
            heading = _OBJECTIVE.match(block.text.strip())
            if heading:
                current = ParsedObjective(number=int(heading[1]), statement=Text())
                parsed.objectives.append(current)
                heading_rest, statement = heading[2].strip(), []
            elif current is None:
                preamble.append(block.text.strip())
            elif not current.tasks:
                statement.append(block)
            continue
        if not isinstance(block, Table):
            continue
        if current is None:
            raise PlanImportError(
                _("A table comes before any OBJECTIVE heading: which objective is it for?")
            )
        if current.tasks:
            raise PlanImportError(
                _("Objective %(number)s has a second table: one table per objective.")
                % {"number": current.number}
            )
        text = _paragraphs_text(statement, deadline)
        if heading_rest:
            text = Text(
                after=clean_text(heading_rest + "\n" + text.after),
                before=clean_text(heading_rest + "\n" + text.before),
            )
        current.statement = text
        table_rows = list(block.rows)
        if not table_rows or not _header_matches(
            [cell.text.strip() for cell in table_rows[0].cells]
        ):
            raise PlanImportError(
                _("Objective %(number)s, table row 1: expected the header %(header)s.")
                % {"number": current.number, "header": ", ".join(HEADER)}
            )
        rows = [
            (number, [_paragraphs_text(cell.paragraphs, deadline) for cell in row.cells])
            for number, row in enumerate(table_rows[1:], start=2)
        ]
        _rows_into_objective(current, rows)
    _read_preamble(preamble, parsed)
    if not parsed.objectives:
        raise PlanImportError(_("No OBJECTIVE heading found: is this an implementation plan?"))
    return parsed


def _check(parsed: ParsedPlan) -> ParsedPlan:
    seen: set[int] = set()
    for objective in parsed.objectives:
        if objective.number in seen:
            raise PlanImportError(
                _("OBJECTIVE %(number)s appears twice: each objective needs its own number.")
                % {"number": objective.number}
            )
        seen.add(objective.number)
    return parsed


def parse_file(name: str, data: bytes) -> ParsedPlan:
    """Pick the reader by the file's name: .docx or .txt."""
    lower = name.lower()
    if lower.endswith(".docx"):
        return _check(parse_docx(data))
    if lower.endswith(".txt"):
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = data.decode("cp1252", errors="replace")
        return _check(parse_text(content))
    raise PlanImportError(_("Only .docx and .txt files can be imported."))


# --- into the database --------------------------------------------------------------------


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
) -> ImportResult:
    """Create a plan from a parsed document. With blue text: the plan without it is issued as
    Update N-1, then the blue text is applied and issued as Update N. All or nothing."""
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
