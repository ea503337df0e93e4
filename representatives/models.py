"""Third-sector representatives: sign-ups, selection rounds (Appendix 1 of the Partnership
Working Code of Practice), appointments, the Code of Conduct (Appendix 2), declarations of
interest and feedback to the sector."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Body, CodeOfPractice, Organisation, Person
from partnerships.models import Partnership, ThirdSectorPlace

# Personal data on a sign-up. These fields are never copied into the history table, so erasing
# a sign-up leaves no copy of them behind (see docs/representatives.md, "Erasure").
SIGNUP_PERSONAL_FIELDS = (
    "full_name",
    "organisation_name",
    "email",
    "phone",
    "address",
    "interests",
    "experience",
    "rejection_reason",  # may name the person or quote them
)


class CodeOfConductVersion(models.Model):
    """One version of the Third Sector Representatives' Code of Conduct and Agreement
    (Appendix 2). Exactly one version is current; representatives sign the current one."""

    code = models.ForeignKey(
        CodeOfPractice,
        verbose_name=_("code of practice entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conduct_versions",
    )
    version = models.CharField(_("version"), max_length=20, unique=True)
    text = models.TextField(_("text"))
    effective_on = models.DateField(_("effective from"))
    is_current = models.BooleanField(_("current version"), default=False)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
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
        verbose_name = _("code of conduct version")
        verbose_name_plural = _("code of conduct versions")
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_code_of_conduct_version",
            )
        ]

    def __str__(self) -> str:
        return _("Code of Conduct, version %(version)s") % {"version": self.version}


class SignUp(models.Model):
    """Someone from a third-sector organisation registering interest in representing the
    sector (or in specialist membership), without an account."""

    class Interest(models.TextChoices):
        REPRESENTATION = "representation", _("Representing the third sector")
        MEMBERSHIP = "membership", _("Specialist input as a member")
        EITHER = "either", _("Either")

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email not yet confirmed")
        WAITING = "waiting", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MERGED = "merged", _("Merged into another sign-up")
        ERASED = "erased", _("Erased on request")

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED
    )
    full_name = models.CharField(_("full name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    interest = models.CharField(
        _("interested in"), max_length=16, choices=Interest.choices, default=Interest.EITHER
    )
    interests = models.TextField(_("areas of interest"))
    experience = models.TextField(_("experience"), blank=True)
    places = models.ManyToManyField(
        ThirdSectorPlace, verbose_name=_("places"), blank=True, related_name="signups"
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships"), blank=True, related_name="signups"
    )
    consent_wording = models.TextField(_("consent wording shown"))
    consent_given_at = models.DateTimeField(_("consent given at"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signups",
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=list(SIGNUP_PERSONAL_FIELDS))

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return _("Sign-up #%(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("representatives:signup_detail", kwargs={"pk": self.pk})

    @property
    def latest_nomination(self) -> Nomination | None:
        """The nomination this sign-up was last put forward as (reads prefetched
        ``nominations__round`` when there), or None."""
        return max(self.nominations.all(), key=lambda nomination: nomination.pk, default=None)

    @property
    def progress_label(self) -> str:
        """What happens to the sign-up now: once put forward, the nomination's state decides
        (a sign-up is never left "waiting for a decision" while a round runs)."""
        nomination = self.latest_nomination
        if nomination is None or self.status not in (self.Status.WAITING, self.Status.APPROVED):
            return self.get_status_display()
        return nomination.outcome_label


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
        return f"{self.get_step_display()} ({self.happened_on:%d %B %Y})"


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


class Signature(models.Model):
    """A representative's electronic signature of a Code of Conduct version, on behalf of one
    partnership, as on the paper form: signed, organisation, on behalf of partnership."""

    version = models.ForeignKey(
        CodeOfConductVersion,
        verbose_name=_("version signed"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="signatures"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("on behalf of partnership / working group"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    typed_name = models.CharField(_("signed (typed full name)"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("code of conduct signature")
        verbose_name_plural = _("code of conduct signatures")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person", "partnership"],
                name="one_signature_per_version_person_partnership",
                violation_error_message=_(
                    "You have already signed this version for this partnership."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} - {self.version.version} - {self.partnership}"

    def get_absolute_url(self) -> str:
        return reverse("representatives:signature_detail", kwargs={"pk": self.pk})


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
        return f"{self.appointment.partnership} {self.meeting_date:%d %B %Y}"

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
