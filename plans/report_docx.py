"""An update's report as the Board's familiar Word table (``.docx``, python-docx).

Landscape A4; the plan's title, then "Implementation Plan - Update N - dated ..."; per
objective an "OBJECTIVE n" heading, its statement and a five-column table (Tasks, Outcomes /
Indicators, Timescale, Responsibility, Progress). Text new since the previous update is blue
and underlined; with ``show_deletions`` the words removed are kept struck through, as Word's
tracked deletions (``w:del``).

The layout is the one :func:`plans.importing.parse_docx` reads (a row with an empty Tasks cell
continues the task above; blue runs are new; tracked deletions were there before), so
importing the file gives back the plan and its two updates. Change labels ("New task",
"Moved") are left out for that reason: they would become part of the text.

The renderer only reads the comparison the report selector built: it never queries.

``language`` is "en" (the default), "cy" or "bilingual", as for the PDFs. The English file is
the one above, always in English whatever the reader's language, and the only one that
imports back. The Welsh one has Welsh headings and column headers and each text's Welsh
(``<name>_cy``, its own changes in blue), else the English marked "(Saesneg yn unig / English
only)" and tagged ``en-GB``; the bilingual one is the Welsh version, a page break, then the
English version (Welsh first, as the Welsh Language Standards ask). See docs/plan-reports.md.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from compact.platform.language import ENGLISH, FALLBACK_MARKERS, WELSH, marked_text, welsh_name
from compact.platform.pdf.languages import languages_of
from compact.platform.textdiff import diff_opcodes
from plans.diffing import FieldChange, ObjectiveChange
from plans.reports import describe
from plans.selectors.reports import PlanComparison

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADER = ("Tasks", "Outcomes / Indicators", "Timescale", "Responsibility", "Progress")
# The same headers in the reader's language (the report page's own words), for a Welsh file.
TRANSLATED_HEADER = (
    gettext_lazy("Tasks"),
    gettext_lazy("Outcomes / Indicators"),
    gettext_lazy("Timescale"),
    gettext_lazy("Responsibility"),
    gettext_lazy("Progress"),
)
# The language tag of a run (w:lang), so Word's proofing and screen readers read it right.
RUN_LANGUAGE = {ENGLISH: "en-GB", WELSH: "cy-GB"}
# Millimetres of the 267 mm between the margins of landscape A4.
COLUMN_WIDTHS_MM = (50, 55, 30, 35, 97)
BLUE = (0x00, 0x00, 0xFF)
REVISION_AUTHOR = "Compact Tracker"

# Characters XML 1.0 (and so Word) cannot hold, and the other control characters: a cell
# keeps its line breaks and tabs only. Unpaired surrogates and U+FFFE/U+FFFF too.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

Segment = tuple[str, str]  # (kind: "equal" | "ins" | "del", text)


def clean(text: str) -> str:
    """The text without control characters (Word's file format cannot hold most of them)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def field_segments(change: FieldChange, *, show_deletions: bool) -> list[Segment]:
    """The field as runs of unchanged, inserted and (optionally) deleted text."""
    old, new = change.old or "", change.new or ""
    if change.mode == "added":
        return [("ins", new)] if new else []
    if change.mode == "removed":
        return [("del", old)] if old and show_deletions else []
    if old == new:
        return [("equal", new)] if new else []
    segments: list[Segment] = []
    for operation, old_part, new_part in diff_opcodes(old, new):
        if operation == "equal":
            segments.append(("equal", "".join(new_part)))
            continue
        if old_part and show_deletions:
            segments.append(("del", "".join(old_part)))
        if new_part:
            segments.append(("ins", "".join(new_part)))
    return segments


class _Writer:
    def __init__(self, *, show_deletions: bool, when: datetime.datetime) -> None:
        self.show_deletions = show_deletions
        self.revision_id = 0
        self.when = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        # The language runs are tagged with (None: untagged, as the English file always was).
        self.lang: str | None = None

    def field(self, container: Any, fields: Any, name: str, *, paragraph: Any = None) -> None:
        """Field ``name`` of a change in the version's language: the English file writes the
        English as it always did; the Welsh one the Welsh twin when it has text in either
        update, else the English, tagged English and followed by the marker."""
        english = fields[name]
        if self.lang != WELSH:
            self.paragraph(container, english, paragraph=paragraph)
            return
        welsh = fields.get(welsh_name(name))
        if welsh is not None and (welsh.old or welsh.new or not (english.old or english.new)):
            self.paragraph(container, welsh, paragraph=paragraph)
            return
        if paragraph is None:
            paragraph = container.add_paragraph()
        self.lang = ENGLISH
        try:
            self.paragraph(container, english, paragraph=paragraph)
            if paragraph.runs:
                self.run(paragraph, "equal", f" {FALLBACK_MARKERS[ENGLISH]}")
        finally:
            self.lang = WELSH

    def paragraph(self, container: Any, change: FieldChange, *, paragraph: Any = None) -> None:
        """Write the field as one paragraph of ``container`` (a cell or the document), or into
        ``paragraph`` (a new cell's first, empty one). Line breaks are breaks inside the runs,
        not new paragraphs: a break typed as part of new text is then blue like the text, so
        the importer leaves it out of the previous update's version too."""
        if paragraph is None:
            paragraph = container.add_paragraph()
        for kind, text in field_segments(change, show_deletions=self.show_deletions):
            text = clean(text)
            if text:
                self.run(paragraph, kind, text)

    def run(self, paragraph: Any, kind: str, text: str) -> None:
        from docx.enum.text import WD_UNDERLINE
        from docx.shared import RGBColor

        if kind == "del":
            self.deletion(paragraph, text)
            return
        run = paragraph.add_run(text)
        self.tag(run)
        if kind == "ins":
            run.font.color.rgb = RGBColor(*BLUE)
            run.font.underline = WD_UNDERLINE.SINGLE

    def tag(self, run: Any) -> None:
        """Mark the run's language (``w:lang``) in a Welsh or bilingual file."""
        if self.lang is None:
            return
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), RUN_LANGUAGE[self.lang])
        run._r.get_or_add_rPr().append(lang)

    def deletion(self, paragraph: Any, text: str) -> None:
        """A tracked deletion (``w:del``): Word shows it struck through, and the importer (and
        Word's "Reject all") know the words were there before and are gone now. The text stays
        whole in one ``w:delText``, line breaks included, so the importer reads it back."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        run = paragraph.add_run()
        self.tag(run)
        run.font.strike = True
        deleted = OxmlElement("w:delText")
        deleted.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        deleted.text = text
        run._r.append(deleted)
        deletion = OxmlElement("w:del")
        self.revision_id += 1
        deletion.set(qn("w:id"), str(self.revision_id))
        deletion.set(qn("w:author"), REVISION_AUTHOR)
        deletion.set(qn("w:date"), self.when)
        run._r.addprevious(deletion)
        deletion.append(run._r)


def _visible(change: Any, show_deletions: bool) -> bool:
    return show_deletions or not change.is_removed


def _objective_heading(objective: ObjectiveChange, language: str = ENGLISH) -> str:
    item = objective.item
    if language == WELSH:
        title = clean(marked_text(item, "title", WELSH)).strip()
        heading = _("OBJECTIVE %(number)s") % {"number": item.number}
    else:
        title = clean(str(item.title or "")).strip()
        heading = f"OBJECTIVE {item.number}"
    return f"{heading}: {title}" if title else heading


def _table_rows(objective: ObjectiveChange, show_deletions: bool) -> Iterator[tuple[Any, Any]]:
    """(task change or None for a continuation, row change or None for a task without rows)."""
    for task in objective.tasks:
        if not _visible(task, show_deletions):
            continue
        rows = [row for row in task.rows if _visible(row, show_deletions)]
        if not rows:
            yield task, None
        for index, row in enumerate(rows):
            yield (task if index == 0 else None), row


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def export_docx(
    comparison: PlanComparison,
    *,
    show_deletions: bool = False,
    when: datetime.datetime | None = None,
    language: str = ENGLISH,
) -> bytes:
    """The report as a Word document. ``when`` stamps tracked deletions (default: the issue
    time of the update, so the same update always gives the same file content). ``language``:
    "en", "cy" or "bilingual" (Welsh, a page break, then English)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm, Pt

    until = comparison.until
    when = when or (until.issued_at if until is not None else datetime.datetime.now(datetime.UTC))
    writer = _Writer(show_deletions=show_deletions, when=when)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(0)

    versions = languages_of(language)
    for index, version in enumerate(versions):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        # A one-language English file stays untagged, exactly as it always was.
        writer.lang = version if len(versions) > 1 or version == WELSH else None
        with translation.override(version):
            _write_version(document, writer, comparison, version)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _write_version(document: Any, writer: _Writer, comparison: PlanComparison, lang: str) -> None:
    """The title, heading and every objective's table, in language ``lang`` (active)."""
    from docx.shared import Mm, Pt

    show_deletions = writer.show_deletions
    welsh = lang == WELSH
    plan = comparison.plan
    title = document.add_paragraph()
    title_run = title.add_run(clean(marked_text(plan, "title", WELSH) if welsh else plan.title))
    writer.tag(title_run)
    title_run.bold = True
    title_run.font.size = Pt(14)
    heading = document.add_paragraph()
    words = pgettext("word report", "Implementation Plan") if welsh else "Implementation Plan"
    heading_run = heading.add_run(clean(f"{words} - {describe(comparison).heading}"))
    writer.tag(heading_run)
    heading_run.bold = True
    heading_run.font.size = Pt(12)
    header = [str(name) for name in TRANSLATED_HEADER] if welsh else HEADER

    for objective in comparison.changes.objectives:
        if not _visible(objective, show_deletions):
            continue
        document.add_paragraph()
        objective_heading = document.add_paragraph()
        heading_run = objective_heading.add_run(_objective_heading(objective, lang))
        writer.tag(heading_run)
        heading_run.bold = True
        heading_run.font.size = Pt(11)
        if objective.is_added:
            heading_run.font.underline = True
        writer.field(document, objective.fields, "statement")
        document.add_paragraph()
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        widths = [Mm(width) for width in COLUMN_WIDTHS_MM]
        for cell, name, width in zip(table.rows[0].cells, header, widths, strict=True):
            cell.width = width
            header_run = cell.paragraphs[0].add_run(name)
            writer.tag(header_run)
            header_run.bold = True
        _repeat_header(table.rows[0])
        for task, row in _table_rows(objective, show_deletions):
            cells = table.add_row().cells
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width
            if task is not None:
                writer.field(cells[0], task.fields, "description", paragraph=cells[0].paragraphs[0])
            if row is None:
                continue
            for cell, name in zip(
                cells[1:], ("outcome", "timescale", "responsibility", "progress"), strict=True
            ):
                writer.field(cell, row.fields, name, paragraph=cell.paragraphs[0])
