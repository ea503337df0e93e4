"""Template helpers of the change reports."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

# Characters per line of each column in the landscape PDF at 9pt (measured on the demo plan),
# and the height in lines above which a row may break across pages: about 40% of a page, so
# a row kept whole never leaves more than that empty at the foot of the page before it.
_COLUMN_CHARS = {"outcome": 34, "timescale": 13, "responsibility": 16, "progress": 62}
_TASK_CHARS = 28
LONG_ROW_LINES = 18


def _lines(text: str, width: int) -> int:
    return sum(max(1, -(-len(line) // width)) for line in text.split("\n"))


def _field_lines(field: Any, width: int) -> int:
    old, new = field.old or "", field.new or ""
    # A changed field shows deleted and inserted words: count both (an upper bound).
    return _lines(new if old == new else f"{old} {new}", width)


@register.filter
def long_row(row: Any, task: Any = None) -> bool:
    """True when a report row is too tall to keep whole on a page without leaving a big gap."""
    fields = row.fields
    lines = max(_field_lines(fields[name], width) for name, width in _COLUMN_CHARS.items())
    if task is not None:
        lines = max(lines, _field_lines(task.fields["description"], _TASK_CHARS))
    return lines > LONG_ROW_LINES
