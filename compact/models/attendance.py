"""Members' answers to a meeting notice (attending, apologies, a substitute) and the register of
standing interests of the Board's and bodies' members."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models.core import Body, Person
from compact.models.meetings import Meeting

# A standing interest is confirmed again every 12 months; the reminder goes a month before.
INTEREST_CONFIRM_DAYS = 365
INTEREST_REMINDER_DAYS_BEFORE = 30


class AttendanceAnswer(models.Model):
    """What a member of the body answered before the meeting: attending, apologies, or sending
    a named substitute. The officer records who was actually present (``Attendance``)."""

    class Answer(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        APOLOGIES = "apologies", _("Apologies")
        SUBSTITUTE = "substitute", _("Sending a substitute")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="answers"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="answers"
    )
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices)
    substitute_name = models.CharField(_("substitute"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer to a meeting notice")
        verbose_name_plural = _("answers to meeting notices")
        ordering = ["meeting", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="answer_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_answer_display()}"

    def clean(self) -> None:
        self.substitute_name = self.substitute_name.strip()
        if self.answer == self.Answer.SUBSTITUTE and not self.substitute_name:
            raise ValidationError(
                {"substitute_name": _("Name the person who will attend in your place.")}
            )
        if self.answer != self.Answer.SUBSTITUTE:
            self.substitute_name = ""


class StandingInterest(models.Model):
    """An interest a member declares for the register: for one body or for all they sit on.
    ``private_details`` (an address, a relative's name) is for officers only; the description
    is what the public register shows."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="standing_interests",
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="standing_interests",
        help_text=_("Leave empty for an interest relevant to every body you sit on."),
    )
    description = models.TextField(_("interest"))
    private_details = models.TextField(
        _("private details"),
        blank=True,
        help_text=_("Seen by officers only, never published."),
    )
    declared_on = models.DateField(_("declared on"))
    last_confirmed_on = models.DateField(_("last confirmed on"))
    withdrawn_on = models.DateField(_("no longer held since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("standing interest")
        verbose_name_plural = _("standing interests")
        ordering = ["person__full_name", "declared_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.description[:40]}"

    @property
    def confirm_by(self) -> datetime.date:
        return self.last_confirmed_on + datetime.timedelta(days=INTEREST_CONFIRM_DAYS)

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.confirm_by


class InterestReminderSent(models.Model):
    """One reminder to re-confirm a person's interests, per confirmation cycle: the date by
    which they are due is the step, so a second run never sends the same reminder again."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("confirm by"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interest reminder sent")
        verbose_name_plural = _("interest reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["person", "due_on"], name="interest_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.due_on}"
