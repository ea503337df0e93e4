"""Moving a dispute through the procedure and keeping each stage's record (mediation sessions
included)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Person
from compact.platform.history import save_with_history
from disputes import permissions, procedure
from disputes.models import (
    Dispute,
    MediationSession,
    StageRecord,
)
from disputes.procedure import Actor, Closure, Stage
from disputes.services.common import check_date
from disputes.services.panel import set_panel


@transaction.atomic
def dispute_move(
    *,
    dispute: Dispute,
    to_stage: str,
    reason: str,
    actor: Any,
    on: datetime.date | None = None,
    closure: str = "",
    outcome: str = "",
    agreed_actions: str = "",
    lessons_learned: str = "",
    mediator_name: str = "",
    panel: Sequence[Person] | None = None,
    senior_contact: Person | None = None,
) -> StageRecord:
    """Move a dispute to another stage, only as the procedure allows, dated, attributed and
    with a reason; closing needs an outcome; a referral needs an unconflicted panel."""
    dispute = Dispute.objects.select_for_update().select_related("raised_by").get(pk=dispute.pk)
    move = procedure.transition(dispute.stage, to_stage)
    if move is None:
        raise ValidationError(
            _("The procedure does not allow moving a dispute from “%(from)s” to “%(to)s”.")
            % {
                "from": Stage(dispute.stage).label,
                "to": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    if not permissions.can_make_transition(actor, dispute, move):
        raise PermissionDenied(_("You are not allowed to make this move in this dispute."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _("Moving a dispute back to an earlier stage needs a reason.")
                if move.backwards
                else _("Give the reason for this move.")
            }
        )
    current = dispute.stages.filter(ended_on__isnull=True).order_by("-started_on", "-pk").first()
    on = on or timezone.localdate()
    check_date(on, not_before=current.started_on if current else None, field="on")
    actor_roles = permissions.dispute_roles(actor, dispute)

    record = StageRecord(
        dispute=dispute,
        stage=to_stage,
        from_stage=dispute.stage,
        backwards=move.backwards,
        started_on=on,
        due_on=procedure.due_date(to_stage, on),
        moved_by=actor,
        reason=reason,
    )
    history_reason = f"{Stage(dispute.stage).label} → {Stage(to_stage).label}: {reason}"[:500]
    if to_stage == Stage.CLOSED:
        if not (actor_roles & {Actor.OFFICER, Actor.PANEL}) and closure != Closure.WITHDRAWN:
            raise PermissionDenied(
                _("As the person who raised it you can withdraw the concern, not decide it.")
            )
        dispute.closure = closure
        dispute.outcome = (outcome or "").strip()
        dispute.agreed_actions = agreed_actions
        dispute.lessons_learned = lessons_learned
        dispute.closed_on = on
    elif to_stage == Stage.MEDIATION:
        if not mediator_name.strip():
            raise ValidationError({"mediator_name": _("Name the mediator.")})
        record.mediator_name = mediator_name.strip()
    elif to_stage == Stage.SCRUTINY and not move.backwards:
        set_panel(dispute, panel or [], on=on, actor=actor, reason=history_reason)
    elif to_stage == Stage.SCRUTINY and panel:
        set_panel(dispute, panel, on=on, actor=actor, reason=history_reason)
    elif to_stage == Stage.ESCALATION and senior_contact is not None:
        party_orgs = set(dispute.parties.values_list("organisation_id", flat=True))
        if senior_contact.organisation_id not in party_orgs:
            raise ValidationError(
                {
                    "senior_contact": _(
                        "%(person)s does not belong to a party organisation; escalation goes "
                        "to senior level in a partner organisation that is a party."
                    )
                    % {"person": senior_contact}
                }
            )
        record.senior_contact = senior_contact
    if dispute.stage == Stage.CLOSED:
        # Reopening: the closure stays in the history, the dispute is live again.
        dispute.closure = ""
        dispute.closed_on = None
    dispute.stage = to_stage
    save_with_history(dispute, actor=actor, reason=history_reason)
    if current is not None:
        current.ended_on = on
        save_with_history(current, actor=actor, reason=history_reason)
    save_with_history(record, actor=actor, reason=history_reason)
    return record


@transaction.atomic
def stage_record_update(
    *,
    record: StageRecord,
    actor: Any,
    notes: str,
    mediator_name: str = "",
    agreement: str = "",
    senior_contact: Person | None = None,
) -> StageRecord:
    """Keep the current stage's record: notes; the mediator and whether agreement was reached;
    the senior contact of an escalation."""
    record = StageRecord.objects.select_for_update().select_related("dispute").get(pk=record.pk)
    if not permissions.can_record_stage.test(actor, record.dispute):
        raise PermissionDenied(_("You cannot keep the record of this stage."))
    if record.ended_on is not None:
        raise ValidationError(_("This stage has ended; its record can no longer change."))
    record.notes = notes
    if record.stage == Stage.MEDIATION:
        if not mediator_name.strip():
            raise ValidationError({"mediator_name": _("Name the mediator.")})
        record.mediator_name = mediator_name.strip()
        record.agreement = agreement
    if record.stage == Stage.ESCALATION:
        if senior_contact is not None:
            party_orgs = set(record.dispute.parties.values_list("organisation_id", flat=True))
            if senior_contact.organisation_id not in party_orgs:
                raise ValidationError(
                    {
                        "senior_contact": _("%(person)s does not belong to a party organisation.")
                        % {"person": senior_contact}
                    }
                )
        record.senior_contact = senior_contact
    save_with_history(record, actor=actor, reason="Stage record updated")
    return record


@transaction.atomic
def mediation_session_add(
    *, record: StageRecord, held_on: datetime.date, notes: str, actor: Any
) -> MediationSession:
    """Record a mediation session, dated within the mediation stage."""
    if not permissions.can_manage_dispute.test(actor):
        raise PermissionDenied(_("Only a disputes officer can record mediation sessions."))
    if record.stage != Stage.MEDIATION or record.ended_on is not None:
        raise ValidationError(_("Sessions can only be added while the dispute is in mediation."))
    check_date(held_on, not_before=record.started_on, field="held_on")
    session = MediationSession(stage_record=record, held_on=held_on, notes=notes)
    save_with_history(session, actor=actor, reason="Mediation session recorded")
    return session
