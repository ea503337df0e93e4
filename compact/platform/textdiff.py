"""Word-level text diffs, budgeted: the changes in blue (<ins>) and struck through (<del>) of any
two texts. Pure functions; the plans' change reports are their main user, but nothing here knows
about plans."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of whitespace (newlines included) and single punctuation marks: joining the
# tokens gives back the text exactly, so unchanged text keeps its line breaks.
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Split text into word, whitespace and punctuation tokens that join back to the text."""
    return _TOKEN.findall(text or "")


# The most token pairs the word diff hands difflib for one field. difflib's matcher costs about
# the product of the two token counts, more on repetitive text ("a b a b ..." against
# "b a b a ..."), so past this a changed middle is shown as one replacement (old struck
# through, new inserted) instead of word by word: at most ~50 ms a field, measured on random
# and repetitive text. A count, not a clock, so the same two texts always give the same report.
# Prose rarely comes near it: the common start and end are matched first, and a long middle is
# split at words that occur once in each text (as patience diff does): only the gaps count.
DIFF_MAX_TOKEN_PAIRS = 250_000


Opcodes = list[tuple[str, list[str], list[str]]]


def _wrap(tag: str, tokens: Sequence[str]) -> str:
    # Every piece of user text goes through escape() before it meets markup.
    return f"<{tag}>{escape(''.join(tokens))}</{tag}>"


def diff_opcodes(old: str, new: str) -> list[tuple[str, list[str], list[str]]]:
    """The word-level edit script from old to new as (operation, old tokens, new tokens).

    Whitespace-only runs between two changes are folded into the changes, so "a b c" -> "x y z"
    reads as one replacement instead of three with blanks kept between them. A changed middle
    too big to compare word by word (:data:`DIFF_MAX_TOKEN_PAIRS`) is one replacement.
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    # Most edits append or change a few words: match the common ends first, so difflib only
    # looks at the middle (it is quadratic in what it is given).
    prefix = 0
    limit = min(len(old_tokens), len(new_tokens))
    while prefix < limit and old_tokens[prefix] == new_tokens[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix
        and old_tokens[len(old_tokens) - 1 - suffix] == new_tokens[len(new_tokens) - 1 - suffix]
    ):
        suffix += 1
    old_middle = old_tokens[prefix : len(old_tokens) - suffix]
    new_middle = new_tokens[prefix : len(new_tokens) - suffix]
    merged: list[tuple[str, list[str], list[str]]] = []
    if prefix:
        merged.append(("equal", old_tokens[:prefix], new_tokens[:prefix]))
    merged.extend(_middle_opcodes(old_middle, new_middle))
    if suffix:
        merged.append(
            (
                "equal",
                old_tokens[len(old_tokens) - suffix :],
                new_tokens[len(new_tokens) - suffix :],
            )
        )
    # Join neighbouring equal runs (the anchored middle yields several), so an equal run is
    # always followed by a change: the folding below relies on it.
    joined: Opcodes = []
    for operation, old_part, new_part in merged:
        if operation == "equal" and joined and joined[-1][0] == "equal":
            joined[-1] = ("equal", joined[-1][1] + old_part, joined[-1][2] + new_part)
        else:
            joined.append((operation, old_part, new_part))
    merged = joined
    # A change's token lists are copied once and then extended in place: joining by "+" on
    # every step would be quadratic in the number of changes.
    folded: Opcodes = []
    index = 0
    while index < len(merged):
        operation, old_part, new_part = merged[index]
        is_gap = (
            operation == "equal"
            and 0 < index < len(merged) - 1
            and all(token.isspace() for token in old_part)
            and "\n" not in "".join(old_part)
        )
        if is_gap and folded and folded[-1][0] != "equal":
            _, next_old, next_new = merged[index + 1]
            folded[-1][1].extend(old_part + next_old)
            folded[-1][2].extend(new_part + next_new)
            if folded[-1][0] != "replace":
                folded[-1] = ("replace", folded[-1][1], folded[-1][2])
            index += 2
            continue
        if operation != "equal" and folded and folded[-1][0] != "equal":
            folded[-1][1].extend(old_part)
            folded[-1][2].extend(new_part)
            if folded[-1][0] != "replace":
                folded[-1] = ("replace", folded[-1][1], folded[-1][2])
        else:
            folded.append((operation, list(old_part), list(new_part)))
        index += 1
    return folded


def _matcher_opcodes(old_tokens: list[str], new_tokens: list[str]) -> Opcodes:
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    return [
        (operation, old_tokens[old_start:old_end], new_tokens[new_start:new_end])
        for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes()
    ]


def _unique_anchors(old_tokens: list[str], new_tokens: list[str]) -> list[tuple[int, int]]:
    """Positions (old, new) of words found exactly once in each text, the longest run of them
    in the same order in both (patience diff's anchors). Linear plus k log k."""
    seen_old: dict[str, int] = {}
    for index, token in enumerate(old_tokens):
        seen_old[token] = -1 if token in seen_old else index
    seen_new: dict[str, int] = {}
    for index, token in enumerate(new_tokens):
        seen_new[token] = -1 if token in seen_new else index
    pairs = [
        (index, seen_new[token])
        for token, index in seen_old.items()
        if index >= 0 and seen_new.get(token, -1) >= 0
    ]
    pairs.sort()
    # Longest increasing run of new positions (patience sorting), with back links.
    tops: list[int] = []  # new position ending the best run of each length
    top_index: list[int] = []
    back: list[int] = []
    for position, (_old, new) in enumerate(pairs):
        length = bisect.bisect_left(tops, new)
        back.append(top_index[length - 1] if length else -1)
        if length == len(tops):
            tops.append(new)
            top_index.append(position)
        else:
            tops[length], top_index[length] = new, position
    anchors = []
    position = top_index[-1] if top_index else -1
    while position >= 0:
        anchors.append(pairs[position])
        position = back[position]
    return anchors[::-1]


def _middle_opcodes(old_tokens: list[str], new_tokens: list[str]) -> Opcodes:
    """The edit script of the changed middle within DIFF_MAX_TOKEN_PAIRS compared pairs: word
    by word when small enough; else split at words found once in each text and compared gap by
    gap while the budget lasts; what the budget cannot cover is one replacement."""
    if len(old_tokens) * len(new_tokens) <= DIFF_MAX_TOKEN_PAIRS:
        return _matcher_opcodes(old_tokens, new_tokens)
    budget = DIFF_MAX_TOKEN_PAIRS
    result: Opcodes = []
    old_start = new_start = 0
    for old_at, new_at in [*_unique_anchors(old_tokens, new_tokens),
                           (len(old_tokens), len(new_tokens))]:  # fmt: skip
        old_gap, new_gap = old_tokens[old_start:old_at], new_tokens[new_start:new_at]
        cost = len(old_gap) * len(new_gap)
        if cost <= budget:
            budget -= cost
            result.extend(_matcher_opcodes(old_gap, new_gap) if old_gap or new_gap else [])
        else:
            result.append(("replace", old_gap, new_gap))
        if old_at < len(old_tokens):
            result.append(("equal", [old_tokens[old_at]], [new_tokens[new_at]]))
        old_start, new_start = old_at + 1, new_at + 1
    return result


def diff_html(old: str | None, new: str | None) -> SafeString:
    """Escaped HTML of ``new`` with words inserted since ``old`` in ``<ins>`` and words removed
    in ``<del>``. Newlines are kept as they are (the report shows them with CSS pre-line)."""
    old, new = old or "", new or ""
    if old == new:
        return SafeString(escape(new))
    parts: list[str] = []
    for operation, old_part, new_part in diff_opcodes(old, new):
        if operation == "equal":
            parts.append(escape("".join(new_part)))
            continue
        if old_part:
            parts.append(_wrap("del", old_part))
        if new_part:
            parts.append(_wrap("ins", new_part))
    return mark_safe("".join(parts))  # every fragment above is escaped


def diff_sides_html(old: str | None, new: str | None) -> tuple[SafeString, SafeString]:
    """Escaped HTML of ``old`` with the words since removed in ``<del>`` and of ``new`` with
    the words since inserted in ``<ins>``: a before -> after pair for a change history."""
    old, new = old or "", new or ""
    if old == new:
        return SafeString(escape(old)), SafeString(escape(new))
    before: list[str] = []
    after: list[str] = []
    for operation, old_part, new_part in diff_opcodes(old, new):
        if operation == "equal":
            before.append(escape("".join(old_part)))
            after.append(escape("".join(new_part)))
            continue
        if old_part:
            before.append(_wrap("del", old_part))
        if new_part:
            after.append(_wrap("ins", new_part))
    return mark_safe("".join(before)), mark_safe("".join(after))  # every fragment is escaped


def inserted_html(text: str | None) -> SafeString:
    """Escaped HTML of text that is new as a whole (a new row or objective)."""
    if not text:
        return SafeString("")
    return mark_safe(_wrap("ins", [text]))  # escaped by _wrap


def deleted_html(text: str | None) -> SafeString:
    """Escaped HTML of text that was removed as a whole."""
    if not text:
        return SafeString("")
    return mark_safe(_wrap("del", [text]))  # escaped by _wrap
