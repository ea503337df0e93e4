"""Appointments of representatives to places, and the reminders sent before a term ends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Body, Organisation, Person
from partnerships.models import Partnership, ThirdSectorPlace
from representatives.models.rounds import Nomination, SelectionRound


class Appointment(models.Model):
    """A person holding (or deputising for) a third-sector place on a partnership."""

    class Status(models.TextChoices):
        INDUCTION = "induction", _("Appointed; induction not yet complete")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    CURRENT = (Status.INDUCTION, Status.ACTIVE)

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appointments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.ForeignKey(
        ThirdSectorPlace,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("how chosen"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    deputy_of = models.OneToOneField(
        "self",
        verbose_name=_("deputy of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    mandate_body = models.ForeignKey(
        Body,
        verbose_name=_("mandate from forum or network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandated_appointments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INDUCTION
    )
    role_briefed_at = models.DateTimeField(
        _("role and responsibilities briefed"), null=True, blank=True
    )
    conflict_explained_at = models.DateTimeField(
        _("conflict of interest explained"), null=True, blank=True
    )
    feedback_agreed_at = models.DateTimeField(_("feedback channels agreed"), null=True, blank=True)
    induction_completed_at = models.DateTimeField(_("induction completed"), null=True, blank=True)
    induction_completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("induction completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_on = models.DateField(_("linked and invited on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["partnership__name", "place", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="appointment_term_end_not_before_start",
                violation_error_message=_("The term cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("representatives:appointment_detail", kwargs={"pk": self.pk})

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT

    @property
    def is_deputy(self) -> bool:
        return self.deputy_of_id is not None


class TermEndReminder(models.Model):
    """An email to officers that a term ends soon; one per appointment and term end."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    term_end = models.DateField(_("term end reminded of"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("term end reminder")
        verbose_name_plural = _("term end reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "term_end"], name="one_reminder_per_term_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment} ({self.term_end})"
