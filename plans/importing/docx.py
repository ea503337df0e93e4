"""Reading the Word .docx plan into a ParsedPlan, blue runs as the changes, within size and time
limits."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from compact.platform.uploads import open_zip
from plans.importing.parsed import (
    _OBJECTIVE,
    _PARAGRAPH_TAG,
    DOCX_MAX_ELEMENTS,
    DOCX_MAX_PARAGRAPHS,
    DOCX_MAX_UNPACKED_BYTES,
    HEADER,
    ParsedObjective,
    ParsedPlan,
    PlanImportError,
    Text,
    _header_matches,
    _read_preamble,
    _rows_into_objective,
    clean_text,
)
from plans.importing.text import parse_text


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
