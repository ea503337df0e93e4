"""The progress spreadsheet's file format: one sheet, one line per plan row, read back by
:func:`plans.services.progress.import_progress`. Pure: no database, no permissions.

The header names are the file's format, fixed whatever the reader's language (the import finds
columns by them): ``Row ID`` and ``Version`` say which row and which of its versions the line
was downloaded at, ``Objective`` and ``Task`` give context (read-only), the rest are the row's
editable fields, the Welsh ones with `` (Cymraeg)`` after the English name. Every written cell
goes through :func:`compact.platform.spreadsheets.spreadsheet_cell`; :func:`imported_text`
undoes its leading quote.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from compact.platform.spreadsheets import (
    FORMULA_PREFIXES,
    CsvReadError,
    read_csv,
    spreadsheet_cell,
    write_csv_rows,
)

ROW_ID, VERSION, OBJECTIVE, TASK, STATUS = "Row ID", "Version", "Objective", "Task", "Status"
WELSH_SUFFIX = " (Cymraeg)"
# Editable text columns -> the row's field; the Welsh twins follow from the English ones.
TEXT_COLUMNS = {
    "Outcomes / Indicators": "outcome",
    "Timescale": "timescale",
    "Responsibility": "responsibility",
    "Progress": "progress",
}
WELSH_COLUMNS = {f"{name}{WELSH_SUFFIX}": f"{key}_cy" for name, key in TEXT_COLUMNS.items()}
EDITABLE_COLUMNS = {**TEXT_COLUMNS, STATUS: "status", **WELSH_COLUMNS}
# The header, in order; the import needs all of these (the Welsh ones are optional).
REQUIRED_HEADER = (ROW_ID, VERSION, OBJECTIVE, TASK, *TEXT_COLUMNS, STATUS)
HEADER = (*REQUIRED_HEADER, *WELSH_COLUMNS)
WIDTHS = {ROW_ID: 8, VERSION: 8, OBJECTIVE: 30, TASK: 30, STATUS: 16}

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class SheetUnreadable(ValueError):
    """The file is not a spreadsheet the import can read; the message says why."""


@dataclass
class Sheet:
    """What a file holds: the header (row 1) and each later line by its sheet row number, as
    text keyed by header name. ``formulas`` lists (row, column) cells that held a formula."""

    header: list[str]
    lines: list[tuple[int, dict[str, str]]]
    formulas: set[tuple[int, str]] = field(default_factory=set)


# --- writing ------------------------------------------------------------------------------


def sheet_lines(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The header followed by ``rows`` (each in HEADER order), every text cell made safe; the
    Row ID and Version stay numbers."""
    return [
        list(HEADER),
        *([row[0], row[1], *(spreadsheet_cell(value) for value in row[2:])] for row in rows),
    ]


def write_csv(rows: Iterable[Sequence[Any]]) -> bytes:
    """The sheet as CSV, UTF-8 with a byte order mark so that Excel reads Welsh letters."""
    output = io.StringIO()
    output.write("\ufeff")
    write_csv_rows(output, [[str(value) for value in line] for line in sheet_lines(rows)])
    return output.getvalue().encode()


def write_xlsx(rows: Iterable[Sequence[Any]], *, statuses: Sequence[str], title: str) -> bytes:
    """The sheet as an Excel workbook: the status a drop-down of ``statuses``, the read-only
    columns locked (the sheet is protected without a password: it prevents slips, not
    intent), the header frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Progress"
    lines = sheet_lines(rows)
    for line in lines:
        sheet.append(line)
    editable = [HEADER.index(name) + 1 for name in EDITABLE_COLUMNS]
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    for index, name in enumerate(HEADER, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 40)
        sheet.cell(row=1, column=index).font = Font(bold=True)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
            if cell.column in editable:
                cell.protection = unlocked
    status_letter = get_column_letter(HEADER.index(STATUS) + 1)
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(label.replace('"', "'") for label in statuses) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle=_("Status"),
        error=_("Choose one of the statuses in the list."),
    )
    sheet.add_data_validation(choices)
    if len(lines) > 1:
        choices.add(f"{status_letter}2:{status_letter}{len(lines)}")
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True
    # Locked cells stay locked; resizing, filtering and sorting remain allowed.
    for allowed in ("formatColumns", "formatRows", "autoFilter", "sort"):
        setattr(sheet.protection, allowed, False)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{max(len(lines), 1)}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- reading ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell's value as text: numbers without a needless ``.0``, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")


def imported_text(cell: str, current: str) -> str:
    """The text a cell means: what was exported for ``current`` means ``current``; otherwise
    a leading quote before a formula character (the export's escape) is removed."""
    if cell == spreadsheet_cell(current):
        return current
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def _sheet(records: list[list[str]], formulas: set[tuple[int, int]] | None = None) -> Sheet:
    if not records or not any(cell.strip() for cell in records[0]):
        raise SheetUnreadable(_("The file has no header row: download a fresh spreadsheet."))
    header = [cell.strip() for cell in records[0]]
    lines = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # an empty line (Excel keeps formatted ones) is no row
        lines.append((number, dict(zip(header, record, strict=False))))
    named = {(row, header[column]) for row, column in formulas or set() if column < len(header)}
    return Sheet(header=header, lines=lines, formulas=named)


def read_xlsx(content: bytes) -> Sheet:
    """The first sheet of an Excel workbook."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()  # some writers record a wrong size; read every row
        records: list[list[str]] = []
        formulas: set[tuple[int, int]] = set()
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            record = []
            for column, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    formulas.add((number, column))
                record.append(_text(getattr(cell, "value", None)))
            records.append(record)
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SheetUnreadable(
            _("The file cannot be read as an Excel workbook (%(error)s).")
            % {"error": type(exc).__name__}
        ) from exc
    return _sheet(records, formulas)


def read_csv_sheet(content: bytes) -> Sheet:
    """A CSV file, UTF-8 (with or without a byte order mark) or else Windows-1252."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise SheetUnreadable(_("The file is not a CSV text file."))
    try:
        records = read_csv(text)
    except CsvReadError as exc:
        raise SheetUnreadable(str(exc)) from exc
    return _sheet([[cell.replace("\r\n", "\n") for cell in record] for record in records])
