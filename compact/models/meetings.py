"""Meetings of the Compact's bodies: the programme, agendas with papers, who came, minutes and
the action log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.minutes_procedure import EDITABLE, FROZEN, MinutesStatus
from compact.models.core import Body, Person
from compact.platform.language import either_text, require_one_language

# Content in two languages: each translated field ``x`` has a twin ``x_cy`` (docs/welsh.md).
WELSH_HELP = _("In Welsh; leave empty until it is translated.")


class RotationRule(models.Model):
    """How long a chair or secretariat serves on a body before the role rotates ("Rotate after
    12 months", agreed by the Board in April 2008)."""

    body = models.OneToOneField(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="rotation_rule"
    )
    rotate_after_months = models.PositiveSmallIntegerField(_("rotate after (months)"), default=12)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rotation rule")
        verbose_name_plural = _("rotation rules")
        ordering = ["body__name"]

    def __str__(self) -> str:
        return f"{self.body}: {self.rotate_after_months}"

    def clean(self) -> None:
        if not self.rotate_after_months:
            raise ValidationError(
                {"rotate_after_months": _("Rotation needs a period of at least one month.")}
            )


class Meeting(models.Model):
    """One meeting of a body in its programme: planned, held or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_cy = models.TextField(_("notes (Welsh)"), blank=True, help_text=WELSH_HELP)
    # Set by ``agenda_finalise``: from then on the pack is built (and rebuilt on every change
    # until it is circulated) without anyone asking.
    agenda_final_at = models.DateTimeField(_("agenda final since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["body", "date"], name="meeting_body_date")]

    def __str__(self) -> str:
        return f"{self.body} - {date_format(self.date, 'd F Y')}"

    def get_absolute_url(self) -> str:
        return reverse("compact:meeting_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The meeting must end after it starts.")})

    @property
    def where(self) -> str:
        """The venue, the online link, or both."""
        return " / ".join(part for part in (self.venue, self.online_link) if part)

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start_time)


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order, with who presents it and why."""

    class Purpose(models.TextChoices):
        DECISION = "decision", _("For decision")
        DISCUSSION = "discussion", _("For discussion")
        INFORMATION = "information", _("For information")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_cy = models.CharField(
        _("title (Welsh)"), max_length=200, blank=True, help_text=WELSH_HELP
    )
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.DISCUSSION
    )
    minutes_allowed = models.PositiveSmallIntegerField(
        _("time allowed (minutes)"), null=True, blank=True
    )
    standing = models.BooleanField(_("standing item"), default=False)
    # One of compact.models.StandardItem ("minutes": the previous minutes are its paper).
    standard_kind = models.CharField(_("standard item"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return either_text(self, "title")

    def clean(self) -> None:
        require_one_language(self, "title")


class Paper(models.Model):
    """A paper for an agenda item: an uploaded PDF, a paper written in the browser, or a paper
    generated by another app (the implementation plan update, a monitoring report)."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("Uploaded PDF")
        WRITTEN = "written", _("Written in the browser")
        GENERATED = "generated", _("Generated report")

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="papers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_cy = models.CharField(
        _("title (Welsh)"), max_length=200, blank=True, help_text=WELSH_HELP
    )
    file = models.FileField(_("file"), upload_to="papers/%Y/%m/", blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    text = models.TextField(_("text"), blank=True)
    text_cy = models.TextField(_("text (Welsh)"), blank=True, help_text=WELSH_HELP)
    provider_key = models.CharField(_("report"), max_length=100, blank=True)
    provider_value = models.CharField(_("version"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return either_text(self, "title")

    def clean(self) -> None:
        require_one_language(self, "title")


class Attendance(models.Model):
    """Whether a person attended a meeting or sent apologies."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Apologies")
        ABSENT = "absent", _("Absent")
        IN_ATTENDANCE = "in_attendance", _("In attendance")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices)
    # Present in place of a member of the body (who is then counted for the quorum).
    substitute_for = models.ForeignKey(
        Person,
        verbose_name=_("substitute for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendance_once_per_person",
                violation_error_message=_("This person's attendance is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class MeetingDeclaration(models.Model):
    """A declaration of interest made at a meeting, optionally on one agenda item."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="declarations"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_declarations",
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declarations",
    )
    interest = models.TextField(_("interest declared"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.interest[:40]}"


class Minutes(models.Model):
    """The minutes of a meeting: general minutes (``text``; a meeting minuted before item
    minutes existed keeps its single text here) and, per agenda item, the discussion, decisions
    and actions (``compact.models.minutes``). Drafted after the meeting, circulated, approved at
    a later meeting of the same body and signed; the moves are ``compact.minutes_procedure``."""

    Status = MinutesStatus

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField(_("general minutes"), blank=True)
    text_cy = models.TextField(_("general minutes (Welsh)"), blank=True, help_text=WELSH_HELP)
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    circulated_on = models.DateTimeField(_("circulated on"), null=True, blank=True)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("circulated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_approved",
    )
    approved_on = models.DateTimeField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_on = models.DateTimeField(_("signed on"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signature recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting__date"]

    def __str__(self) -> str:
        return f"{_('Minutes')}: {self.meeting}"

    @property
    def is_approved(self) -> bool:
        """Approved (and perhaps signed): frozen, corrected only by amendments."""
        return self.status in FROZEN

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class Action(models.Model):
    """An action agreed at a meeting, with an owner and a due date; it stays on the following
    agendas until it is done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("arising at"), on_delete=models.CASCADE, related_name="actions"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("arising from item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField(_("action"), blank=True)
    description_cy = models.TextField(_("action (Welsh)"), blank=True, help_text=WELSH_HELP)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="actions"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=5, choices=Status.choices, default="open")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return either_text(self, "description")[:60]

    def clean(self) -> None:
        require_one_language(self, "description")
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            raise ValidationError(
                {"item": _("The action must arise from an item of the same meeting.")}
            )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Still open after its due date."""
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and bool(self.due_date) and self.due_date < today


class ActionReminderSent(models.Model):
    """The reminder e-mailed to an action's owner before it falls due: one per action and due
    date, so a second run sends nothing and a moved due date gets its own reminder."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    sent_to = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action reminder sent")
        verbose_name_plural = _("action reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["action", "due_date"], name="action_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.due_date}"
