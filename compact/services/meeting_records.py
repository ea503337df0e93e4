"""Writes for what is recorded at and after a meeting: attendance, declarations of interest,
actions (and their links to other apps' rows) and the rotation of chairs. Each function checks
that the actor may prepare meetings (``actor=None`` is the system), validates, writes in one
transaction and records who and why in the history. Re-exported by
``compact.services.meetings``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    MeetingDeclaration,
    Person,
    RotationRule,
)
from compact.platform.history import save_with_history
from compact.services.minutes import _require_preparer, action_links_set

# --- At the meeting -----------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, person: Person, status: str, actor: Any = None
) -> Attendance:
    """Record that a person attended, sent apologies or was absent."""
    _require_preparer(actor)
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first()
    if attendance is None:
        attendance = Attendance(meeting=meeting, person=person)
    attendance.status = status
    save_with_history(attendance, actor=actor, reason="Attendance recorded")
    return attendance


@transaction.atomic
def declaration_add(
    *,
    meeting: Meeting,
    person: Person,
    interest: str,
    item: AgendaItem | None = None,
    actor: Any = None,
) -> MeetingDeclaration:
    """Record a declaration of interest made at the meeting."""
    _require_preparer(actor)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Choose an item of this meeting.")})
    declaration = MeetingDeclaration(meeting=meeting, person=person, item=item, interest=interest)
    save_with_history(declaration, actor=actor, reason="Declaration of interest recorded")
    return declaration


# --- Actions ------------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    description: str,
    owner: Person,
    description_cy: str = "",
    due_date: datetime.date | None = None,
    item: AgendaItem | None = None,
    links: Iterable[tuple[str, int]] = (),
    actor: Any = None,
) -> Action:
    """Record an action agreed at a meeting, optionally linked to rows of other apps (plan
    rows, through ``compact.links.ActionLinkTarget``); it stays on later agendas until done."""
    _require_preparer(actor)
    action = Action(
        meeting=meeting,
        item=item,
        description=description,
        description_cy=description_cy,
        owner=owner,
        due_date=due_date,
    )
    save_with_history(action, actor=actor, reason="Action recorded")
    action_links_set(action=action, links=links)
    return action


@transaction.atomic
def action_complete(
    *, action: Action, completed_on: datetime.date | None = None, actor: Any = None
) -> Action:
    """Mark an action done; it drops off the next agendas."""
    _require_preparer(actor)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status == Action.Status.DONE:
        raise ValidationError(_("This action is already done."))
    action.status = Action.Status.DONE
    action.completed_on = completed_on or timezone.localdate()
    save_with_history(action, actor=actor, reason="Action done")
    return action


# --- Rotation -----------------------------------------------------------------------------


@transaction.atomic
def rotation_rule_set(
    *, body: Body, rotate_after_months: int, notes: str = "", actor: Any = None
) -> RotationRule:
    """Set how many months a chair or secretariat serves before the role rotates."""
    _require_preparer(actor)
    rule = RotationRule.objects.filter(body=body).first() or RotationRule(body=body)
    rule.rotate_after_months = rotate_after_months
    rule.notes = notes
    save_with_history(rule, actor=actor, reason="Rotation rule set")
    return rule
