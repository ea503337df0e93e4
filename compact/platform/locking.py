"""Optimistic locking: the one way an edit form refuses to overwrite someone else's save.

An editable record carries a ``version`` that its service bumps on every change. The edit
form sends back the version it was loaded at; the service locks the record
(``select_for_update``) and calls :func:`check_version`. A stale version raises
:class:`EditConflict`, and the view answers with :func:`conflict_page`: a three-way merge
(:func:`three_way_merge`) from the record as the editor loaded it (its history row at the
expected version). A field changed on one side only keeps that side's value; only fields both
changed, differently, are flagged for the editor to choose. The merge form is prefilled with
the merged values at the current version, so saving it keeps both people's work. Used by plan
rows, objectives, tasks, meeting minutes, and partnerships with their places and reviews.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.choices import flatten_choices
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone saved this item after the editor loaded it. Carries what is saved now (and its
    version) and what the editor submitted, so the conflict page can show both and merge."""

    def __init__(
        self,
        *,
        instance: models.Model,
        submitted: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> None:
        self.instance = instance
        self.current_version: int = instance.version  # type: ignore[attr-defined]
        # The version the editor loaded: the common ancestor of the merge.
        self.expected_version = None if expected_version is None else int(expected_version)
        self.fields = tuple(key for key in submitted if hasattr(instance, key))
        self.current = {key: getattr(instance, key) for key in self.fields}
        self.submitted = dict(submitted)
        super().__init__(
            _("This item was changed by someone else while you were editing it (now version %d).")
            % self.current_version
        )


def check_version(
    locked: models.Model, *, expected_version: int | None, submitted: Mapping[str, Any]
) -> None:
    """Raise :class:`EditConflict` unless ``locked`` (read under ``select_for_update``) is
    still at ``expected_version``. ``None`` skips the check (trusted system callers)."""
    if expected_version is not None and int(expected_version) != locked.version:  # type: ignore[attr-defined]
        raise EditConflict(
            instance=locked, submitted=submitted, expected_version=int(expected_version)
        )


Side = Literal["neither", "same", "mine", "theirs", "both"]


@dataclass(frozen=True)
class Merge:
    """The outcome of :func:`three_way_merge`: the merged values, which side changed each
    field, and the fields both sides changed differently (the editor must choose those)."""

    merged: dict[str, Any]
    sides: dict[str, Side]
    conflicts: list[str]


def _same(a: Any, b: Any) -> bool:
    # An empty optional field reads back as "" or None; a browser sends CRLF line breaks.
    def norm(value: Any) -> Any:
        if value is None:
            return ""
        return value.replace("\r\n", "\n") if isinstance(value, str) else value

    return norm(a) == norm(b)


def three_way_merge(
    *,
    ancestor: Mapping[str, Any] | None,
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    fields: Iterable[str],
) -> Merge:
    """Merge ``mine`` (the editor's submission) and ``theirs`` (saved meanwhile) from their
    common ``ancestor``. A field changed on one side only takes that side; changed the same way
    on both, that value; changed differently on both, it is a conflict and keeps ``mine`` (so
    the editor's text is never lost). Without an ancestor (none recorded, or a field the history
    does not keep, such as a many-to-many) every differing field is a conflict: nothing can be
    kept automatically without knowing who changed it."""
    merged: dict[str, Any] = {}
    sides: dict[str, Side] = {}
    conflicts: list[str] = []
    base = ancestor or {}
    for name in fields:
        m, t = mine.get(name), theirs.get(name)
        known = name in base
        if _same(m, t):
            changed = known and not _same(base.get(name), m)
            side: Side = "same" if changed else "neither"
            value = t
        elif known and _same(base.get(name), m):
            side, value = "theirs", t
        elif known and _same(base.get(name), t):
            side, value = "mine", m
        else:
            side, value = "both", m
            conflicts.append(name)
        merged[name], sides[name] = value, side
    return Merge(merged=merged, sides=sides, conflicts=conflicts)


def _value(instance: models.Model, name: str) -> Any:
    """A field's value as a form holds it: a many-to-many as the list of its records."""
    value = getattr(instance, name)
    if isinstance(value, models.Manager):
        return sorted(value.all(), key=lambda record: record.pk)
    return value


def conflict_page(
    request: HttpRequest,
    conflict: EditConflict,
    *,
    form_class: Any,
    action: str,
    cancel_url: str,
    extra_context: Mapping[str, Any] | None = None,
    form_kwargs: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The conflict page: a three-way merge of the editor's submission and what is saved now,
    from the record as the editor loaded it, with a merge form prefilled with the merged values
    and the current version. ``form_class.FIELDS`` names the compared fields; the form has a
    hidden ``version`` (and may have a ``reason``); ``form_kwargs`` go to the merge form (a
    model form's ``instance``). Two queries: the ancestor and the last change (and one for each
    related field compared)."""
    names = form_class.FIELDS
    submitted = {name: conflict.submitted.get(name) for name in names}
    current = {name: _value(conflict.instance, name) for name in names}
    ancestor_row = (
        conflict.instance.history.filter(version=conflict.expected_version)  # type: ignore[attr-defined]
        .order_by("-history_date", "-history_id")
        .first()
        if conflict.expected_version is not None
        else None
    )
    # The history keeps no many-to-many: such a field has no ancestor value (see the merge).
    ancestor = (
        {name: getattr(ancestor_row, name) for name in names if hasattr(ancestor_row, name)}
        if ancestor_row is not None
        else None
    )
    merge = three_way_merge(ancestor=ancestor, mine=submitted, theirs=current, fields=names)
    merge_form = form_class(
        initial={**merge.merged, "version": conflict.current_version, "reason": ""},
        **(form_kwargs or {}),
    )

    def shown(name: str, value: Any) -> Any:
        # A choice (a row's status) reads as its label, as in the form, never as its code; a
        # related record as its name (no query for the choices); a date and a yes/no in words.
        field = merge_form.fields[name]
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime.date):
            return date_format(value, "j F Y")
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        if isinstance(field, forms.ModelChoiceField):
            return value
        choices = dict(flatten_choices(getattr(field, "choices", None) or ()))
        return choices.get(value, value)

    verdicts = {
        "neither": _("unchanged"),
        "same": _("changed the same way by both"),
        "mine": _("changed by you only (kept)"),
        "theirs": _("changed by them only (kept)"),
        "both": _("changed by both: choose"),
    }
    comparison = [
        {
            "name": name,
            "label": merge_form.fields[name].label,
            "theirs": shown(name, submitted[name]),
            "current": shown(name, current[name]),
            "ancestor": shown(name, ancestor[name]) if ancestor and name in ancestor else None,
            "differs": not _same(submitted[name], current[name]),
            "side": merge.sides[name],
            "verdict": verdicts[merge.sides[name]],
            "conflict": name in merge.conflicts,
        }
        for name in names
    ]
    last = (
        conflict.instance.history.select_related("history_user")  # type: ignore[attr-defined]
        .order_by("-history_date")
        .first()
    )
    context = {
        **(extra_context or {}),
        "form": merge_form,
        "comparison": comparison,
        "conflicts": [merge_form.fields[name].label for name in merge.conflicts],
        "action": action,
        "last_change": last,
        "last_change_by": (
            (last.history_user.get_full_name() or last.history_user.get_username())
            if last is not None and last.history_user is not None
            else _("someone")
        ),
        "cancel_url": cancel_url,
    }
    if getattr(request, "htmx", False):
        # htmx does not swap error responses: send the conflict with 200 into the page body.
        response = render(request, "includes/_conflict.html", context)
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "innerHTML show:top"
        return response
    return render(request, "includes/conflict.html", context, status=409)
