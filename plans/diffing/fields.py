"""One field of an item in both versions of a plan, with its word-level diff made when first
rendered (most fields of a big plan are unchanged and only need escaping)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString

from compact.platform.textdiff import deleted_html, diff_html, inserted_html


class FieldChange:
    """One field of an item in both versions, with its word-level diff (made when first
    rendered: most fields of a big plan are unchanged and only need escaping)."""

    __slots__ = ("_html", "name", "new", "old")
    mode = "diff"

    def __init__(self, name: str, old: str, new: str) -> None:
        self.name, self.old, self.new = name, old, new
        self._html: SafeString | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.old!r}, {self.new!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldChange) and (self.mode, self.name, self.old, self.new) == (
            other.mode,
            other.name,
            other.old,
            other.new,
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def html(self) -> SafeString:
        if self._html is None:
            self._html = self._render()
        return self._html

    def _render(self) -> SafeString:
        return diff_html(self.old, self.new)

    @property
    def new_html(self) -> SafeString:
        """The new text only, escaped: for the view with deletions hidden."""
        return escape(self.new)

    def __str__(self) -> str:
        return str(self.html)


class _AddedField(FieldChange):
    """A field of an item that is new as a whole."""

    __slots__ = ()
    mode = "added"

    def _render(self) -> SafeString:
        return inserted_html(self.new)


class _RemovedField(FieldChange):
    """A field of an item that was removed as a whole."""

    __slots__ = ()
    mode = "removed"

    def _render(self) -> SafeString:
        return deleted_html(self.old)


def _text(item: Any, name: str) -> str:
    value = getattr(item, name)
    return value if isinstance(value, str) else str(value or "")


def field_changes(names: Sequence[str], old: Any | None, new: Any | None) -> dict[str, FieldChange]:
    if old is None:
        return {name: _AddedField(name, "", _text(new, name)) for name in names}
    if new is None:
        return {name: _RemovedField(name, _text(old, name), "") for name in names}
    return {name: FieldChange(name, _text(old, name), _text(new, name)) for name in names}
