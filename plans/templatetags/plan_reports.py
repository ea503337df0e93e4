"""Template helpers of the change reports."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from compact.platform.language import (
    ENGLISH,
    WELSH,
    mark_fallback,
    reading_welsh,
    text_of,
    welsh_name,
)

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
    lines = max(
        _field_lines(fields[field], width)
        for name, width in _COLUMN_CHARS.items()
        for field in (name, welsh_name(name))
    )
    if task is not None:
        for field in ("description", "description_cy"):
            lines = max(lines, _field_lines(task.fields[field], _TASK_CHARS))
    return lines > LONG_ROW_LINES


def _present(field: Any) -> bool:
    return bool(field.old or field.new)


@register.simple_tag
def bi_change(change: Any, name: str) -> SafeString:
    """A field of a change report in the reader's language, its own words' changes in blue:
    the Welsh twin (``<name>_cy``) read in Welsh when it has text in either version, else the
    English, marked "(Saesneg yn unig / English only)" with ``lang="en"`` (and the other way
    round for an English reader of a text written only in Welsh)."""
    fields = change.fields
    english, welsh = fields[name], fields[welsh_name(name)]
    if reading_welsh():
        if _present(welsh) or not _present(english):
            return welsh.html
        return mark_fallback(english.html, ENGLISH)
    if _present(english) or not _present(welsh):
        return english.html
    return mark_fallback(welsh.html, WELSH)


@register.simple_tag
def bi_moved_from_task(row: Any) -> str:
    """The task a row moved from, in the reader's language where it has one."""
    return text_of(
        {"description": row.moved_from_task, "description_cy": row.moved_from_task_cy},
        "description",
    )
