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

from plans.importing.docx import (
    parse_docx,
    parse_file,
)
from plans.importing.parsed import (
    COLUMNS,
    DOCX_MAX_ELEMENTS,
    DOCX_MAX_PARAGRAPHS,
    DOCX_MAX_UNPACKED_BYTES,
    HEADER,
    ParsedObjective,
    ParsedPlan,
    ParsedRow,
    ParsedTask,
    PlanImportError,
    Text,
    clean_text,
)
from plans.importing.text import (
    parse_text,
)
from plans.importing.writing import (
    ImportResult,
    import_plan,
    split_parallel_rows,
)

__all__ = [
    "COLUMNS",
    "DOCX_MAX_ELEMENTS",
    "DOCX_MAX_PARAGRAPHS",
    "DOCX_MAX_UNPACKED_BYTES",
    "HEADER",
    "ImportResult",
    "ParsedObjective",
    "ParsedPlan",
    "ParsedRow",
    "ParsedTask",
    "PlanImportError",
    "Text",
    "clean_text",
    "import_plan",
    "parse_docx",
    "parse_file",
    "parse_text",
    "split_parallel_rows",
]
