"""What a plan document reads as (ParsedPlan: objectives, tasks and rows whose every text has a
before and an after version), and the parts both readers share."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from plans import parsing

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
