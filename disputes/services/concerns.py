"""Raising a concern and what belongs to it: the named contacts, supporting documents and the
officers' and panel's confidential notes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.models import Commitment, Organisation, Person
from compact.platform.access import Role, has_role
from compact.platform.history import save_with_history, stamp_history
from disputes import permissions, procedure
from disputes.models import (
    ConfidentialNote,
    Dispute,
    DisputeContact,
    DisputeParty,
    StageRecord,
    SupportingDocument,
)
from disputes.procedure import Stage
from disputes.services.common import attach, check_date


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
    check_date(raised_on, not_before=None, field="raised_on")
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
    attach(dispute, documents, actor)
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
    attach(dispute, uploads, actor)
    return list(dispute.documents.exclude(pk__in=before))
