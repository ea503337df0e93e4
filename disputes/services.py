"""Writes to disputes: one function per step of the procedure, each in one transaction, each
checking who may act, validating, and recording who did it and why."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Commitment, Organisation, Person
from compact.platform.access import Role, has_role
from compact.platform.history import save_with_history, stamp_history
from compact.platform.uploads import EVIDENCE, check_upload
from disputes import permissions, procedure
from disputes.models import (
    ConfidentialNote,
    Dispute,
    DisputeContact,
    DisputeParty,
    InterestDeclaration,
    MediationSession,
    PanelMember,
    StageRecord,
    SupportingDocument,
)
from disputes.procedure import Actor, Closure, Stage
from disputes.selectors import overdue_stages, scrutiny_members

logger = logging.getLogger(__name__)


def _check_date(on: datetime.date, *, not_before: datetime.date | None, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before and on < not_before:
        raise ValidationError(
            {
                field: _("The date cannot be before %(date)s, when the current stage began.")
                % {"date": not_before.strftime("%d %B %Y")}
            }
        )


def _attach(dispute: Dispute, uploads: Iterable[UploadedFile], actor: Any) -> None:
    for upload in uploads:
        checked = check_upload(upload, kinds=EVIDENCE)
        document = SupportingDocument(
            dispute=dispute,
            original_name=checked.name[-200:] or "document",
            content_type=checked.content_type,
            size=len(checked.content),
            uploaded_by=actor,
        )
        document.file.save(f"evidence{checked.extension}", ContentFile(checked.content), save=False)
        save_with_history(document, actor=actor, reason="Supporting document attached")


@transaction.atomic
def dispute_raise(
    *,
    raised_by: Person,
    subject: str,
    concerns: Sequence[Organisation],
    contacts: Sequence[Person],
    commitment: Commitment,
    what_happened: str,
    outcome_sought: str,
    documents: Sequence[UploadedFile] = (),
    raised_on: datetime.date | None = None,
    actor: Any,
) -> Dispute:
    """Raise a concern: the raiser's organisation and the organisations it concerns become the
    parties, each with named contacts, and the dispute starts at informal resolution."""
    if raised_by.user_id != getattr(actor, "pk", None) and not has_role(actor, Role.OFFICER):
        raise PermissionDenied(_("You can only raise a concern in your own name."))
    if raised_by.organisation_id is None:
        raise ValidationError(
            _(
                "Your account is not linked to a partner organisation, so you cannot raise a "
                "concern. Ask an administrator to record your organisation."
            )
        )
    raised_on = raised_on or timezone.localdate()
    _check_date(raised_on, not_before=None, field="raised_on")
    errors: dict[str, list[str]] = {}
    concern_ids = {organisation.pk for organisation in concerns}
    if not concern_ids:
        errors.setdefault("concerns", []).append(
            _("Choose the partner organisation(s) the concern is about.")
        )
    if raised_by.organisation_id in concern_ids:
        errors.setdefault("concerns", []).append(
            _("A concern cannot be about your own organisation (%(org)s).")
            % {"org": raised_by.organisation}
        )
    for person in contacts:
        if person.organisation_id not in concern_ids:
            errors.setdefault("contacts", []).append(
                _("%(person)s does not belong to any of the organisations concerned.")
                % {"person": person}
            )
    with_contact = {person.organisation_id for person in contacts}
    for organisation in concerns:
        if organisation.pk not in with_contact and organisation.pk != raised_by.organisation_id:
            errors.setdefault("contacts", []).append(
                _("Name at least one contact at %(org)s.") % {"org": organisation}
            )
    if errors:
        raise ValidationError(errors)

    dispute = Dispute(
        subject=subject,
        raised_by=raised_by,
        raised_by_organisation=raised_by.organisation,
        created_by=actor,
        raised_on=raised_on,
        code=commitment.code,
        commitment=commitment,
        what_happened=what_happened,
        outcome_sought=outcome_sought,
        stage=Stage.INFORMAL,
    )
    save_with_history(dispute, actor=actor, reason="Concern raised")
    raising = DisputeParty(
        dispute=dispute, organisation=raised_by.organisation, role=DisputeParty.Role.RAISING
    )
    save_with_history(raising, actor=actor, reason="Concern raised")
    save_with_history(
        DisputeContact(dispute=dispute, party=raising, person=raised_by),
        actor=actor,
        reason="Concern raised",
    )
    parties = {}
    for organisation in concerns:
        party = DisputeParty(
            dispute=dispute, organisation=organisation, role=DisputeParty.Role.CONCERNED
        )
        save_with_history(party, actor=actor, reason="Concern raised")
        parties[organisation.pk] = party
    for person in contacts:
        save_with_history(
            DisputeContact(dispute=dispute, party=parties[person.organisation_id], person=person),
            actor=actor,
            reason="Concern raised",
        )
    record = StageRecord(
        dispute=dispute,
        stage=Stage.INFORMAL,
        started_on=raised_on,
        due_on=procedure.due_date(Stage.INFORMAL, raised_on),
        moved_by=actor,
        reason=_("Concern raised"),
    )
    save_with_history(record, actor=actor, reason="Concern raised")
    _attach(dispute, documents, actor)
    return dispute


@transaction.atomic
def dispute_contact_add(*, dispute: Dispute, person: Person, actor: Any) -> DisputeContact:
    """Name another contact for a party; they must work for a party organisation."""
    if not permissions.can_manage_dispute.test(actor, dispute):
        raise PermissionDenied(_("Only a disputes officer can change the named contacts."))
    party = dispute.parties.filter(organisation_id=person.organisation_id).first()
    if party is None:
        raise ValidationError(
            {
                "person": _("%(person)s does not belong to a party organisation.")
                % {"person": person}
            }
        )
    if dispute.contacts.filter(person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s is already a named contact.") % {"person": person}}
        )
    contact = DisputeContact(dispute=dispute, party=party, person=person)
    save_with_history(contact, actor=actor, reason="Named contact added")
    return contact


@transaction.atomic
def dispute_contact_remove(*, contact: DisputeContact, actor: Any) -> None:
    """Remove a named contact (they no longer see the dispute); every party keeps one, and the
    person who raised the concern stays."""
    dispute = contact.dispute
    if not permissions.can_manage_dispute.test(actor, dispute):
        raise PermissionDenied(_("Only a disputes officer can change the named contacts."))
    if contact.person_id == dispute.raised_by_id:
        raise ValidationError(_("The person who raised the concern stays a named contact."))
    if not contact.party.contacts.exclude(pk=contact.pk).exists():
        raise ValidationError(
            _("%(org)s must keep at least one named contact. Add another first.")
            % {"org": contact.party.organisation}
        )
    stamp_history(contact, actor=actor, reason="Named contact removed")
    contact.delete()


def panel_conflicts(*, dispute: Dispute, people: Sequence[Person]) -> list[str]:
    """Why each of these people may not sit on this dispute's panel (empty when all may)."""
    today = timezone.localdate()
    members = {m.person_id: m for m in scrutiny_members(on=today)}
    party_orgs = set(dispute.parties.values_list("organisation_id", flat=True))
    declared = set(dispute.interests.values_list("person_id", flat=True))
    problems = []
    for person in people:
        membership = members.get(person.pk)
        if membership is None:
            problems.append(
                _("%(person)s is not a current member of the scrutiny body.") % {"person": person}
            )
            continue
        organisations = {person.organisation_id, membership.organisation_id} - {None}
        if organisations & party_orgs:
            problems.append(
                _(
                    "%(person)s belongs to %(org)s, a party to this dispute, and cannot sit on "
                    "its panel."
                )
                % {
                    "person": person,
                    "org": person.organisation
                    if person.organisation_id in party_orgs
                    else membership.organisation,
                }
            )
        if person.pk in declared:
            problems.append(
                _(
                    "%(person)s has declared an interest in this dispute, so cannot sit on "
                    "its panel."
                )
                % {"person": person}
            )
    return problems


def _set_panel(
    dispute: Dispute, people: Sequence[Person], *, on: datetime.date, actor: Any, reason: str
) -> None:
    if not people:
        raise ValidationError(
            {"panel": _("Choose at least one member of the scrutiny body for the panel.")}
        )
    problems = panel_conflicts(dispute=dispute, people=people)
    if problems:
        raise ValidationError({"panel": problems})
    wanted = {person.pk for person in people}
    for member in list(dispute.panel.all()):
        if member.person_id not in wanted:
            stamp_history(member, actor=actor, reason=reason)
            member.delete()
    existing = set(dispute.panel.values_list("person_id", flat=True))
    for person in people:
        if person.pk not in existing:
            save_with_history(
                PanelMember(dispute=dispute, person=person, appointed_on=on),
                actor=actor,
                reason=reason,
            )


@transaction.atomic
def dispute_panel_assign(
    *, dispute: Dispute, people: Sequence[Person], actor: Any, reason: str = ""
) -> Dispute:
    """Appoint the scrutiny panel: current members of the scrutiny body only, none from a party
    organisation, none with a declared interest."""
    if not permissions.can_manage_dispute.test(actor):
        raise PermissionDenied(_("Only a disputes officer can appoint the panel."))
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    _set_panel(
        dispute,
        people,
        on=timezone.localdate(),
        actor=actor,
        reason=reason or "Panel appointed",
    )
    return dispute


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
    _check_date(on, not_before=current.started_on if current else None, field="on")
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
        _set_panel(dispute, panel or [], on=on, actor=actor, reason=history_reason)
    elif to_stage == Stage.SCRUTINY and panel:
        _set_panel(dispute, panel, on=on, actor=actor, reason=history_reason)
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
    _check_date(held_on, not_before=record.started_on, field="held_on")
    session = MediationSession(stage_record=record, held_on=held_on, notes=notes)
    save_with_history(session, actor=actor, reason="Mediation session recorded")
    return session


@transaction.atomic
def interest_declare(
    *, dispute: Dispute, person: Person, interest: str, actor: Any
) -> InterestDeclaration:
    """Record someone's interest in a dispute; if they sit on its panel they leave it."""
    roles = permissions.dispute_roles(actor, dispute)
    own = getattr(person, "user_id", None) == actor.pk
    if Actor.OFFICER not in roles and not (own and Actor.PANEL in roles):
        raise PermissionDenied(_("Only a disputes officer can record someone else's interest."))
    if not interest.strip():
        raise ValidationError({"interest": _("Describe the interest.")})
    declaration = InterestDeclaration(dispute=dispute, person=person, interest=interest.strip())
    save_with_history(declaration, actor=actor, reason="Interest declared")
    for member in dispute.panel.filter(person=person):
        stamp_history(member, actor=actor, reason="Left the panel after declaring an interest")
        member.delete()
    return declaration


@transaction.atomic
def confidential_note_add(*, dispute: Dispute, text: str, actor: Any) -> ConfidentialNote:
    """A note for the officers and the panel only."""
    if not permissions.can_write_confidential_note.test(actor, dispute):
        raise PermissionDenied(_("Only disputes officers and the panel can write notes."))
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = ConfidentialNote(dispute=dispute, text=text.strip(), author=actor)
    save_with_history(note, actor=actor, reason="Confidential note written")
    return note


@transaction.atomic
def document_add(
    *, dispute: Dispute, uploads: Sequence[UploadedFile], actor: Any
) -> list[SupportingDocument]:
    """Attach more supporting documents to an open dispute."""
    if not permissions.can_add_document.test(actor, dispute):
        raise PermissionDenied(_("You cannot add documents to this dispute."))
    if not uploads:
        raise ValidationError({"documents": _("Choose at least one file.")})
    before = set(dispute.documents.values_list("pk", flat=True))
    _attach(dispute, uploads, actor)
    return list(dispute.documents.exclude(pk__in=before))


def dispute_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the disputes officers (and the panel, for stages before it) once about each stage
    that has passed its target date. Running it again sends nothing new."""
    today = today or timezone.localdate()
    officers = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=str(Role.OFFICER))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    sent = 0
    for overdue in overdue_stages(today=today):
        with transaction.atomic():
            record = (
                StageRecord.objects.select_for_update()
                .filter(
                    dispute_id=overdue.dispute_id,
                    ended_on__isnull=True,
                    reminder_sent_on__isnull=True,
                )
                .first()
            )
            if record is None:
                continue
            recipients = set(officers)
            if record.stage in (Stage.SCRUTINY, Stage.ESCALATION):
                recipients |= set(
                    PanelMember.objects.filter(dispute_id=record.dispute_id)
                    .exclude(person__email="")
                    .values_list("person__email", flat=True)
                )
            if not recipients:
                logger.warning("No one to remind about overdue dispute %s", overdue.reference)
                continue
            context = {
                "overdue": overdue,
                "url": f"{getattr(settings, 'SITE_URL', '')}"
                + reverse("disputes:detail", kwargs={"pk": overdue.dispute_id}),
            }
            # Subject and body carry the reference and stage only: e-mail is not the place for
            # a confidential dispute's names and details.
            send_mail(
                subject=_("Dispute %(ref)s is overdue at %(stage)s")
                % {"ref": overdue.reference, "stage": overdue.stage},
                message=render_to_string("disputes/email/overdue_reminder.txt", context),
                from_email=None,
                recipient_list=sorted(recipients),
            )
            record.reminder_sent_on = today
            save_with_history(record, actor=None, reason="Overdue reminder sent", clean=False)
            sent += 1
    return sent
