"""What representatives record: declarations of interest, feedback reports and sector issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Body, Person
from partnerships.models import Partnership
from representatives.models.appointments import Appointment


class Declaration(models.Model):
    """A declaration of interest: general, or for one item of a partnership meeting."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General interest")
        MEETING_ITEM = "meeting_item", _("Interest in a partnership meeting item")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.GENERAL)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    item = models.CharField(_("agenda item"), max_length=200, blank=True)
    interest = models.TextField(_("the interest"))
    action_taken = models.TextField(_("how it is dealt with openly"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")
        ordering = ["-declared_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.interest[:60]}"


class FeedbackReport(models.Model):
    """A representative's short report after a partnership meeting, which VAMT publishes to
    the relevant forum or network."""

    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        PUBLISHED = "published", _("Published to the sector")

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.PROTECT,
        related_name="feedback_reports",
    )
    meeting_date = models.DateField(_("meeting date"))
    discussed = models.TextField(_("what was discussed"))
    issues_raised = models.TextField(_("issues raised on behalf of the sector"), blank=True)
    sector_should_know = models.TextField(_("what the sector should know"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FILED
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    published_to = models.ForeignKey(
        Body,
        verbose_name=_("published to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback report")
        verbose_name_plural = _("feedback reports")
        ordering = ["-meeting_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.appointment.partnership} {date_format(self.meeting_date, 'd F Y')}"

    def get_absolute_url(self) -> str:
        return reverse("representatives:feedback_detail", kwargs={"pk": self.pk})


class SectorIssue(models.Model):
    """An issue collected from the sector, queued for a representative to take to the
    partnership."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued for the representative")
        TAKEN = "taken", _("Taken to the partnership")

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="sector_issues",
    )
    raised_through = models.ForeignKey(
        Body,
        verbose_name=_("raised through forum or network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issue = models.TextField(_("issue"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("queued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sector issue")
        verbose_name_plural = _("sector issues")
        ordering = ["status", "-queued_at"]

    def __str__(self) -> str:
        return self.issue[:60]
