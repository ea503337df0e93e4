"""Optimistic locking: the one way an edit form refuses to overwrite someone else's save.

An editable record carries a ``version`` that its service bumps on every change. The edit
form sends back the version it was loaded at; the service locks the record
(``select_for_update``) and calls :func:`check_version`. A stale version raises
:class:`EditConflict`, and the view answers with :func:`conflict_page`: the editor's text and
the saved text side by side, with a merge form holding their text at the current version, so
saving it keeps both people's work deliberately. Used by plan rows, objectives, tasks and
meeting minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.choices import flatten_choices
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone saved this item after the editor loaded it. Carries what is saved now (and its
    version) and what the editor submitted, so the conflict page can show both and merge."""

    def __init__(self, *, instance: models.Model, submitted: Mapping[str, Any]) -> None:
        self.instance = instance
        self.current_version: int = instance.version  # type: ignore[attr-defined]
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
        raise EditConflict(instance=locked, submitted=submitted)


def conflict_page(
    request: HttpRequest,
    conflict: EditConflict,
    *,
    form_class: Any,
    action: str,
    cancel_url: str,
    extra_context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The conflict page: their text and the saved text side by side, with a merge form
    prefilled with their text and the current version. ``form_class.FIELDS`` names the
    compared fields; the form has a hidden ``version`` (and may have a ``reason``)."""
    submitted = {name: conflict.submitted.get(name) for name in form_class.FIELDS}
    merge_form = form_class(
        initial={**submitted, "version": conflict.current_version, "reason": ""}
    )
    current = {name: getattr(conflict.instance, name) for name in form_class.FIELDS}

    def shown(name: str, value: Any) -> Any:
        # A choice (a row's status) reads as its label, as in the form, never as its code.
        choices = dict(flatten_choices(getattr(merge_form.fields[name], "choices", None) or ()))
        return choices.get(value, value)

    comparison = [
        {
            "label": merge_form.fields[name].label,
            "theirs": shown(name, submitted[name]),
            "current": shown(name, current[name]),
            "differs": submitted[name] != current[name],
        }
        for name in form_class.FIELDS
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
