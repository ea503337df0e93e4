"""Text that goes into and comes out of spreadsheets (CSV and Excel), checked in one place.

Out: every cell of every CSV or Excel export goes through :func:`spreadsheet_cell`, so a cell
that starts like a formula (``= + - @``, a tab or a carriage return) is written as text and a
spreadsheet never runs it. :func:`csv_text` and :func:`csv_response_rows` write whole files with
it. Nothing else in the project writes CSV (a test greps for a second implementation).

In: :func:`read_csv` reads an uploaded CSV file into rows and :func:`cell_problem` says what is
wrong with one imported cell (too long, or a control character that no text contains, such as
the NUL byte PostgreSQL refuses), so every import reports a row error instead of crashing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

# Spreadsheets (Excel, LibreOffice, Google Sheets) treat a cell starting with one of these as a
# formula, or skip the tab / carriage return and then read the formula after it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The longest cell an import accepts. Long enough for any paragraph of a register or a plan,
# short enough that one cell cannot make a page or a report slow.
IMPORT_CELL_MAX_CHARS = 10_000

# C0 control characters other than tab, line feed and carriage return, DEL and the C1 controls:
# no typed text contains them; NUL is refused by PostgreSQL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def spreadsheet_cell(value: Any) -> str:
    """The text of one exported cell, with a leading ' when a spreadsheet would read it as a
    formula (the ' is shown by nobody: spreadsheets take it as "this cell is text")."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV file, header included, every cell made safe with :func:`spreadsheet_cell`."""
    output = io.StringIO()
    write_csv_rows(output, rows)
    return output.getvalue()


def write_csv_rows(stream: Any, rows: Iterable[Iterable[Any]]) -> None:
    """Write rows as CSV to a text stream (a file, or an HttpResponse), every cell made safe."""
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])


# --- imports ------------------------------------------------------------------------------


def control_character(text: str) -> str | None:
    """The first control character in the text written as U+XXXX, or None."""
    found = _CONTROL.search(text or "")
    return f"U+{ord(found.group()):04X}" if found else None


def cell_problem(text: str, *, max_chars: int = IMPORT_CELL_MAX_CHARS) -> str | None:
    """What is wrong with one imported cell, as a sentence to show after its place; or None."""
    if len(text) > max_chars:
        return _("is %(length)s characters long; a cell may hold at most %(max)s characters.") % {
            "length": f"{len(text):,}",
            "max": f"{max_chars:,}",
        }
    found = control_character(text)
    if found:
        return _(
            "contains a control character (%(code)s) that is not text; remove it and try again."
        ) % {"code": found}
    return None


class CsvReadError(ValueError):
    """The CSV file cannot be read at all; ``row`` is the spreadsheet row where it stopped."""

    def __init__(self, message: str, *, row: int) -> None:
        super().__init__(message)
        self.row = row


def read_csv(content: str, *, max_chars: int = IMPORT_CELL_MAX_CHARS) -> list[list[str]]:
    """The records of a CSV text, the header first. A cell too long to be one (past what the
    csv module will read) or a file that is not CSV raises :class:`CsvReadError` with the row."""
    # The csv module reads cells up to 131,072 characters, far past our limit: a cell past it
    # ends the reading (reported with its row); shorter ones get cell_problem's message.
    reader = csv.reader(io.StringIO(content, newline=""))
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        row = len(records) + 1
        if "field larger than field limit" in str(exc):
            message = _(
                "Row %(row)d: a cell is longer than %(max)s characters, the most a cell may hold."
            ) % {"row": row, "max": f"{max_chars:,}"}
        else:
            message = _("Row %(row)d: this is not a CSV file the import can read (%(error)s).") % {
                "row": row,
                "error": exc,
            }
        raise CsvReadError(message, row=row) from exc
    return records
