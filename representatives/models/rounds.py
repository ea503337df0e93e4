"""Selection rounds, their events and nominations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Body, Organisation, Person
from partnerships.models import ThirdSectorPlace
from representatives.models.signups import SignUp


class SelectionRound(models.Model):
    """One run of the agreed process to fill a third-sector place: the representation process
    (six steps of Appendix 1), the membership process, or the record of an existing direct
    link. Each step is dated and attributed in :class:`RoundEvent`."""

    class Process(models.TextChoices):
        REPRESENTATION = "representation", _("Representation (election via the constituency)")
        MEMBERSHIP = "membership", _("Membership (statutory body chooses)")
        DIRECT_LINK = "direct_link", _("Existing direct link")

    class Status(models.TextChoices):
        OPENED = "opened", _("Opened")
        TIMETABLE_AGREED = "timetable_agreed", _("Timetable agreed")
        CANVASSING = "canvassing", _("Canvassing for nominations")
        ELECTION = "election", _("Election open")
        RESULT_DECLARED = "result_declared", _("Result declared")
        BODY_INFORMED = "body_informed", _("Statutory body informed")
        REQUESTED = "requested", _("Statutory body asked VAMT for help")
        CIRCULATED = "circulated", _("Circulated; expressions of interest invited")
        CHOSEN = "chosen", _("Statutory body has chosen")
        COMPLETED = "completed", _("Appointment made")
        CANCELLED = "cancelled", _("Cancelled")

    IN_PROGRESS = (
        Status.OPENED,
        Status.TIMETABLE_AGREED,
        Status.CANVASSING,
        Status.ELECTION,
        Status.RESULT_DECLARED,
        Status.BODY_INFORMED,
        Status.REQUESTED,
        Status.CIRCULATED,
        Status.CHOSEN,
    )

    place = models.ForeignKey(
        ThirdSectorPlace, verbose_name=_("place"), on_delete=models.PROTECT, related_name="rounds"
    )
    process = models.CharField(
        _("process"), max_length=16, choices=Process.choices, default=Process.REPRESENTATION
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPENED
    )
    statutory_body = models.ForeignKey(
        Organisation,
        verbose_name=_("statutory body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="selection_rounds",
    )
    nominations_close_on = models.DateField(_("nominations close on"), null=True, blank=True)
    election_on = models.DateField(_("election on"), null=True, blank=True)
    appointment_on = models.DateField(_("appointment on"), null=True, blank=True)
    channels = models.ManyToManyField(
        Body, verbose_name=_("networks and fora canvassed"), blank=True, related_name="+"
    )
    wider_membership = models.BooleanField(_("canvassed VAMT's wider membership"), default=False)
    constituency = models.ForeignKey(
        Body,
        verbose_name=_("constituency (forum or network)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elections",
    )
    uncontested = models.BooleanField(_("uncontested"), default=False)
    tie_decision = models.TextField(_("decision resolving a tie"), blank=True)
    letter_recipient = models.CharField(_("letter sent to"), max_length=200, blank=True)
    letter_email = models.EmailField(_("letter emailed to"), blank=True)
    letter_sent_on = models.DateField(_("letter sent on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _("%(process)s for %(place)s") % {
            "process": self.get_process_display(),
            "place": self.place,
        }

    def get_absolute_url(self) -> str:
        return reverse("representatives:round_detail", kwargs={"pk": self.pk})

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS


class RoundEvent(models.Model):
    """One dated, attributed step of a selection round ("timetable agreed on 3 March by ID")."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="events"
    )
    step = models.CharField(_("step"), max_length=20, choices=SelectionRound.Status.choices)
    happened_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("round step")
        verbose_name_plural = _("round steps")
        ordering = ["round", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} ({date_format(self.happened_on, 'd F Y')})"


class Nomination(models.Model):
    """A nomination (or, in the membership process, an expression of interest) in a round."""

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("nominee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    signup = models.ForeignKey(
        SignUp,
        verbose_name=_("from sign-up"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nominated_by = models.CharField(_("nominated by"), max_length=200)
    supporting_statement = models.TextField(_("supporting statement"), blank=True)
    received_on = models.DateField(_("received on"))
    eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    eligibility_note = models.TextField(_("eligibility note"), blank=True)
    eligibility_checked_at = models.DateTimeField(
        _("eligibility checked at"), null=True, blank=True
    )
    eligibility_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eligibility checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    elected = models.BooleanField(_("elected or chosen"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(signup__isnull=False),
                name="nomination_names_a_person_or_signup",
                violation_error_message=_("A nomination must name a person or a sign-up."),
            )
        ]

    def __str__(self) -> str:
        return self.nominee_name

    @property
    def nominee_name(self) -> str:
        if self.person_id:
            return self.person.full_name
        return self.signup.full_name

    @property
    def outcome_label(self) -> str:
        """Where the nomination stands, in words for the nominee's sign-up and the queue."""
        chosen = self.round.process == SelectionRound.Process.MEMBERSHIP
        if self.withdrawn_at is not None:
            return str(_("Withdrawn from the round"))
        if self.elected:
            return str(_("Chosen") if chosen else _("Elected"))
        if self.eligible is False:
            return str(_("Found not eligible"))
        if self.round.status == SelectionRound.Status.CANCELLED:
            return str(_("Round cancelled"))
        if self.round.status in (
            SelectionRound.Status.RESULT_DECLARED,
            SelectionRound.Status.BODY_INFORMED,
            SelectionRound.Status.CHOSEN,
            SelectionRound.Status.COMPLETED,
        ):
            return str(_("Not chosen") if chosen else _("Not elected"))
        return str(_("Put forward to a selection round"))

    @property
    def standing(self) -> bool:
        """Eligible and not withdrawn: stands in the election."""
        return bool(self.eligible) and self.withdrawn_at is None
