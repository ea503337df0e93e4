"""Saving with history: who made a change and why, the one way every service records it.

django-simple-history writes a history record on each save; it takes the user from the
instance's ``_history_user`` (else from the request, through ``HistoryRequestMiddleware``)
and the reason from ``_change_reason``. Services call these functions instead of setting the
attributes themselves, so every app records both the same way: the actor when there is one
(a command run without a signed-in user leaves the request's user, or nobody), and the reason
only when one is given.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import models


def stamp_history(instance: models.Model, *, actor: Any, reason: str = "") -> None:
    """Attach who and why to the next history record written for ``instance``."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        cast(Any, instance)._history_user = actor
    if reason:
        cast(Any, instance)._change_reason = reason


def save_with_history(
    instance: models.Model, *, actor: Any, reason: str = "", clean: bool = True, **save: Any
) -> None:
    """Validate (``full_clean``, unless ``clean`` is False) and save, recording who and why."""
    if clean:
        instance.full_clean()
    stamp_history(instance, actor=actor, reason=reason)
    instance.save(**save)


def delete_with_history(instance: models.Model, *, actor: Any, reason: str = "") -> None:
    """Delete, recording who and why on the history's deletion record."""
    stamp_history(instance, actor=actor, reason=reason)
    instance.delete()


def history_model(model: type[models.Model]) -> Any:
    """The history table's model of a tracked model (simple-history adds it at run time)."""
    return cast(Any, model).history.model
