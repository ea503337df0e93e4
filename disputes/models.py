"""Disputes under the Compact's mediation and disputes resolution process.

Everything here is confidential: read it only through ``selectors.disputes_visible_to(user)``.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import CodeOfPractice, Commitment, Organisation, Person
from disputes.procedure import OPEN_STAGES, Closure, Stage


class Dispute(models.Model):
    """A concern raised by a partner that another partner has breached a numbered commitment of
    a code of practice, and its progress through the procedure."""

    subject = models.CharField(_("subject"), max_length=200)
    raised_by = models.ForeignKey(
        Person, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("raised on behalf of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    code = models.ForeignKey(
        CodeOfPractice,
        verbose_name=_("code of practice"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="+"
    )
    what_happened = models.TextField(_("what happened"))
    outcome_sought = models.TextField(_("outcome sought"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INFORMAL
    )
    # Closure (stage "closed").
    closure = models.CharField(_("closed as"), max_length=20, choices=Closure.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("disputes:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.commitment_id and self.code_id and self.commitment.code_id != self.code_id:
            raise ValidationError(
                {"commitment": _("This commitment belongs to another code of practice.")}
            )
        if self.stage == Stage.CLOSED:
            errors = {}
            if not self.closure:
                errors["closure"] = _("Say how the dispute was closed.")
            if not self.outcome.strip():
                errors["outcome"] = _("A dispute cannot be closed without an outcome.")
            if errors:
                raise ValidationError(errors)

    @property
    def reference(self) -> str:
        return f"DR-{self.pk:04d}" if self.pk else "DR-new"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class DisputeParty(models.Model):
    """A partner organisation in a dispute: the one raising it, or one it concerns."""

    class Role(models.TextChoices):
        RAISING = "raising", _("Raising the concern")
        CONCERNED = "concerned", _("Concerned by it")

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "organisation"],
                name="dispute_party_unique",
                violation_error_message=_("This organisation is already a party."),
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class DisputeContact(models.Model):
    """A named contact of a party: sees the dispute and acts for the party in it."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="contacts"
    )
    party = models.ForeignKey(
        DisputeParty, verbose_name=_("party"), on_delete=models.CASCADE, related_name="contacts"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("named contact")
        verbose_name_plural = _("named contacts")
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "person"],
                name="dispute_contact_unique",
                violation_error_message=_("This person is already a named contact."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class StageRecord(models.Model):
    """One period a dispute spent in a stage: how it got there (dated, attributed, with a
    reason), its target date, and the stage's own record."""

    class Agreement(models.TextChoices):
        REACHED = "reached", _("Agreement reached")
        NOT_REACHED = "not_reached", _("No agreement")

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    from_stage = models.CharField(_("moved from"), max_length=20, choices=Stage.choices, blank=True)
    backwards = models.BooleanField(_("moved backwards"), default=False)
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("target date"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    notes = models.TextField(_("record of this stage"), blank=True)
    # Mediation.
    mediator_name = models.CharField(_("mediator"), max_length=200, blank=True)
    agreement = models.CharField(
        _("agreement"), max_length=20, choices=Agreement.choices, blank=True
    )
    # Escalation: the senior person in the partner organisation asked to resolve it.
    senior_contact = models.ForeignKey(
        Person,
        verbose_name=_("senior contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminder_sent_on = models.DateField(_("overdue reminder sent on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage record")
        verbose_name_plural = _("stage records")
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({date_format(self.started_on, 'd M Y')})"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.ended_on is None and self.due_on is not None and self.due_on < today


class MediationSession(models.Model):
    """A mediation meeting between the parties."""

    stage_record = models.ForeignKey(
        StageRecord,
        verbose_name=_("mediation"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return date_format(self.held_on, "d M Y")


class PanelMember(models.Model):
    """A member of the scrutiny body sitting on the panel that considers this dispute."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="panel"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    appointed_on = models.DateField(_("appointed on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "person"], name="dispute_panel_unique")
        ]

    def __str__(self) -> str:
        return str(self.person)


class InterestDeclaration(models.Model):
    """Someone's declared interest in a dispute; they may not sit on its panel."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="interests"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    interest = models.TextField(_("interest declared"))
    declared_on = models.DateField(_("declared on"), default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared interest")
        verbose_name_plural = _("declared interests")
        ordering = ["declared_on", "pk"]

    def __str__(self) -> str:
        return str(self.person)


class ConfidentialNote(models.Model):
    """A note for the disputes officers and the panel only; the parties never see it."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confidential note")
        verbose_name_plural = _("confidential notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%d %b %Y %H:%M}"


def _document_path(instance: SupportingDocument, filename: str) -> str:
    # Never the uploaded name on disk: a random name with the checked extension.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"disputes/{uuid.uuid4().hex}.{extension}"


class SupportingDocument(models.Model):
    """Evidence attached to a dispute: a PDF, PNG or JPEG, checked on upload."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
