"""Progress from the people responsible: who answers for each row, update calls, contributors'
proposals and the reminders sent (see docs/plans.md, "Update calls")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.models import Meeting, Organisation, Person


class RowContributors(models.Model):
    """Who answers for one row, as an officer confirmed it: the people and organisations its
    responsibility text names (read by the parser, corrected where it guessed wrong). Rows
    without a confirmation use what the parser read."""

    outcome = models.OneToOneField(
        "plans.Outcome",
        verbose_name=_("row"),
        on_delete=models.CASCADE,
        related_name="contributors",
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("people"), blank=True, related_name="contributor_rows"
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="contributor_rows"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("row's contributors")
        verbose_name_plural = _("rows' contributors")

    def __str__(self) -> str:
        return f"{self.outcome_id}"


class UpdateCall(models.Model):
    """An officer's request for progress on the plan before a Board meeting: each contributor
    proposes new progress for their rows until the deadline; officers review the proposals."""

    plan = models.ForeignKey(
        "plans.ImplementationPlan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="calls",
    )
    number = models.PositiveIntegerField(_("number"))
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="update_calls",
    )
    deadline = models.DateField(_("deadline"))
    message = models.TextField(_("message"), blank=True)
    message_cy = models.TextField(_("message (Welsh)"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("update call")
        verbose_name_plural = _("update calls")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="update_call_number_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(closed_at__isnull=True),
                name="update_call_one_open_per_plan",
                violation_error_message=_("This plan already has an open update call."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Update call %(number)s") % {"number": self.number})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def accepts_answers(self, today: datetime.date | None = None) -> bool:
        """Contributors may propose and revise until the end of the deadline day."""
        return not self.is_closed and (today or timezone.localdate()) <= self.deadline


class CallRequest(models.Model):
    """One row asked of one contributor in a call (fixed when the call opens, so completeness
    counts what was asked)."""

    call = models.ForeignKey(
        UpdateCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="requests"
    )
    outcome = models.ForeignKey(
        "plans.Outcome", verbose_name=_("row"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("contributor"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("row asked")
        verbose_name_plural = _("rows asked")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "outcome", "person"], name="call_request_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.outcome_id}/{self.person_id}"


class Proposal(models.Model):
    """A contributor's proposed progress, status and timescale for one row in a call. Nothing
    in the plan changes until an officer accepts it. ``base`` is the row as the contributor
    saw it (the ancestor of the three-way merge when the row changed since)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    FIELDS = ("progress", "progress_cy", "status", "timescale", "timescale_cy")

    call = models.ForeignKey(
        UpdateCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="proposals"
    )
    outcome = models.ForeignKey(
        "plans.Outcome",
        verbose_name=_("row"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("contributor"), on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    progress = models.TextField(_("progress"), blank=True)
    progress_cy = models.TextField(_("progress (Welsh)"), blank=True)
    status = models.CharField(_("status"), max_length=20)
    timescale = models.TextField(_("timescale"), blank=True)
    timescale_cy = models.TextField(_("timescale (Welsh)"), blank=True)
    note = models.TextField(_("note"), blank=True)
    base_version = models.PositiveIntegerField(_("row version seen"))
    base = models.JSONField(_("row as seen"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("officer's comment"), blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["call", "outcome", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "outcome", "person"], name="proposal_one_per_row_and_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.outcome_id}"

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


class CallReminder(models.Model):
    """A reminder sent to one contributor for one step of a call (7 or 2 days before the
    deadline): recorded so no step is ever sent twice."""

    call = models.ForeignKey(
        UpdateCall, verbose_name=_("call"), on_delete=models.CASCADE, related_name="reminders"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("contributor"), on_delete=models.CASCADE, related_name="+"
    )
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("update call reminder")
        verbose_name_plural = _("update call reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "person", "days_before"], name="call_reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.person_id}/{self.days_before}"
