"""The implementation plan: objectives, their tasks, and the rows (outcomes) of each task's table,
plus the numbered updates that freeze the plan at a point in its history.

History: Objective, Task and Outcome are tracked by django-simple-history. Every history row
carries plain ids (``plan_id``, ``objective_id``, ``task_id``) and ``order``, so the plan as it
stood at any moment can be rebuilt with one query per table: take the rows of
``Historical<Model>`` with ``plan_id=...`` and ``history_date <= moment``, keep the latest per
``id``, and drop those whose latest ``history_type`` is ``"-"`` (deleted). Task and Outcome carry
``plan`` (denormalised from their parents) precisely so that this filter needs no join.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Body, Compact, Organisation, Person
from compact.platform.spreadsheets import control_character
from plans.parsing import is_overdue

# The longest text one cell of the plan (a statement, a task, an outcome, a timescale, a
# responsibility, a progress note) may hold: about three pages of A4. Every write goes through
# full_clean (the editor, the import, the admin), so this is the one place the limit lives.
# Longer cells saved before the limit still render; they must be shortened when next edited.
PLAN_CELL_MAX_CHARS = 10_000


def validate_plan_cell(value: str) -> None:
    """A cell of the plan: at most PLAN_CELL_MAX_CHARS characters and no control characters
    (NUL and the like come only from pasted binaries or broken files; PostgreSQL refuses NUL)."""
    if len(value) > PLAN_CELL_MAX_CHARS:
        raise ValidationError(
            _(
                "This text is %(length)s characters long; a cell of the plan may hold at most "
                "%(max)s. Shorten it, or put the detail in a paper and refer to it."
            ),
            code="plan_cell_too_long",
            params={"length": f"{len(value):,}", "max": f"{PLAN_CELL_MAX_CHARS:,}"},
        )
    found = control_character(value)
    if found:
        raise ValidationError(
            _("This text contains a control character (%(code)s) that is not text; remove it."),
            code="plan_cell_control_character",
            params={"code": found},
        )


# Content people write has an English and a Welsh version: each translated field ``x`` has a
# twin ``x_cy`` (blank allowed, the same limits), so django-simple-history records both and the
# stored snapshots carry both (docs/welsh.md says why no translation library).
WELSH_HELP = _("In Welsh; leave empty until it is translated.")


# How far ahead an update may be dated: it is dated for the meeting it goes to.
UPDATE_MAX_DAYS_AHEAD = 365

# First path segments under /plans/ that are not plan slugs (see plans/urls.py).
RESERVED_PLAN_SLUGS = frozenset(
    {"import", "new", "objectives", "tasks", "rows", "items", "calls", "proposals"}
)


class ImplementationPlan(models.Model):
    """The Compact's implementation plan, e.g. "The Merthyr Tydfil Compact - Implementation Plan
    2008-2011": objectives, tasks and rows, re-issued as numbered updates."""

    compact = models.ForeignKey(
        Compact, verbose_name=_("compact"), on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(
        _("title (Welsh)"), max_length=200, blank=True, help_text=WELSH_HELP
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    period = models.CharField(
        _("period"), max_length=40, blank=True, help_text=_("As written, e.g. 2008-2011")
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Anyone, signed in or not, may read the issued updates of a public plan."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        ordering = ["-created_at", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.slug in RESERVED_PLAN_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is used by the site itself; choose another.")
                    % {"slug": self.slug}
                }
            )


class Objective(models.Model):
    """One objective of the plan ("OBJECTIVE 3"): its statement, bullet points included, heads
    the table of its tasks."""

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Optional short name")
    )
    title_cy = models.CharField(
        _("title (Welsh)"), max_length=200, blank=True, help_text=WELSH_HELP
    )
    statement = models.TextField(_("statement"), blank=True, validators=[validate_plan_cell])
    statement_cy = models.TextField(
        _("statement (Welsh)"), blank=True, validators=[validate_plan_cell], help_text=WELSH_HELP
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        label = _("Objective %(number)s") % {"number": self.number}
        return f"{label}: {self.title}" if self.title else str(label)

    def clean(self) -> None:
        if self.plan_id and self.number is not None:
            clash = Objective.objects.filter(plan_id=self.plan_id, number=self.number).exclude(
                pk=self.pk
            )
            if clash.exists():
                raise ValidationError(
                    {
                        "number": _("This plan already has an objective %(number)s.")
                        % {"number": self.number}
                    }
                )

    @property
    def heading(self) -> str:
        return str(_("Objective %(number)s") % {"number": self.number})


class Task(models.Model):
    """A task under an objective (the first column of the table); its rows are outcomes."""

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="tasks",
        editable=False,
    )
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="tasks"
    )
    description = models.TextField(_("task"), blank=True, validators=[validate_plan_cell])
    description_cy = models.TextField(
        _("task (Welsh)"), blank=True, validators=[validate_plan_cell], help_text=WELSH_HELP
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["objective", "order", "id"]

    def __str__(self) -> str:
        return self.description[:80] or str(_("(untitled task)"))

    def clean(self) -> None:
        if self.objective_id and self.plan_id and self.objective.plan_id != self.plan_id:
            raise ValidationError(_("A task must belong to an objective of the same plan."))


class Outcome(models.Model):
    """One row of the plan's table: an outcome or indicator of a task, with its timescale,
    responsibility and progress, as written, plus what we read from them (due date, links)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DEFERRED = "deferred", _("Deferred")
        NO_LONGER_REQUIRED = "no_longer_required", _("No longer required")

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="outcomes",
        editable=False,
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="outcomes"
    )
    outcome = models.TextField(
        _("outcomes / indicators"), blank=True, validators=[validate_plan_cell]
    )
    timescale = models.TextField(
        _("timescale"),
        blank=True,
        validators=[validate_plan_cell],
        help_text=_("As written, e.g. Sept 08 or Standing Item"),
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Read from the timescale where it names a month; empty otherwise."),
    )
    responsibility = models.TextField(
        _("responsibility"),
        blank=True,
        validators=[validate_plan_cell],
        help_text=_("As written, e.g. VAMT (ID / AH)"),
    )
    progress = models.TextField(_("progress"), blank=True, validators=[validate_plan_cell])
    outcome_cy = models.TextField(
        _("outcomes / indicators (Welsh)"), blank=True, validators=[validate_plan_cell]
    )
    timescale_cy = models.TextField(
        _("timescale (Welsh)"), blank=True, validators=[validate_plan_cell]
    )
    responsibility_cy = models.TextField(
        _("responsibility (Welsh)"), blank=True, validators=[validate_plan_cell]
    )
    progress_cy = models.TextField(
        _("progress (Welsh)"), blank=True, validators=[validate_plan_cell]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Derived from the responsibility text on every save (see plans.parsing); not tracked in
    # history because the text they come from is.
    responsible_people = models.ManyToManyField(
        Person, verbose_name=_("responsible people"), blank=True, related_name="plan_outcomes"
    )
    responsible_bodies = models.ManyToManyField(
        Body, verbose_name=_("responsible bodies"), blank=True, related_name="plan_outcomes"
    )
    responsible_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("responsible organisations"),
        blank=True,
        related_name="plan_outcomes",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["task", "order", "id"]
        indexes = [models.Index(fields=["plan", "due_date"], name="plans_outcome_plan_due")]

    def __str__(self) -> str:
        return self.outcome[:80] or str(_("(row without outcome text)"))

    def clean(self) -> None:
        if self.task_id and self.plan_id and self.task.plan_id != self.plan_id:
            raise ValidationError(_("A row must belong to a task of the same plan."))

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return is_overdue(self.status, self.due_date, today or timezone.localdate())


class PlanUpdate(models.Model):
    """An issued update of the plan ("Update 4 - dated 26 January 2009"): a frozen point in the
    plan's history. Its report shows the plan as of ``issued_at`` compared with the previous
    update; nothing edited later changes it."""

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("dated"))
    summary = models.TextField(_("summary"), blank=True, validators=[validate_plan_cell])
    summary_cy = models.TextField(_("summary (Welsh)"), blank=True, validators=[validate_plan_cell])
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_updates_issued",
    )
    # The rendered PDF of the report, kept because an issued update never changes. The key
    # says what it was rendered from (template/version); plans-reports owns both.
    cached_pdf = models.FileField(
        _("cached PDF"), upload_to="plan-updates/", blank=True, editable=False
    )
    cached_pdf_key = models.CharField(_("cached PDF key"), max_length=64, blank=True)
    # The Board paper's cover: set when issuing, editable later (history below) without
    # touching the frozen report. Blank reads as the default wording (see paper_purpose).
    purpose = models.TextField(_("purpose"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    purpose_cy = models.TextField(_("purpose (Welsh)"), blank=True, validators=[validate_plan_cell])
    recommendation_cy = models.TextField(
        _("recommendation (Welsh)"), blank=True, validators=[validate_plan_cell]
    )
    # Who changed the cover and why; the cached PDF fields are bookkeeping, not history.
    history = HistoricalRecords(excluded_fields=["cached_pdf", "cached_pdf_key"])

    class Meta:
        verbose_name = _("plan update")
        verbose_name_plural = _("plan updates")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plan_update_number_unique",
                violation_error_message=_("This plan already has an update with this number."),
            )
        ]
        get_latest_by = "number"

    def __str__(self) -> str:
        return str(
            _("Update %(number)s - dated %(date)s")
            % {"number": self.number, "date": date_format(self.date, "j F Y")}
        )

    @staticmethod
    def default_purpose(number: int) -> str:
        if number <= 1:
            return str(_("To inform the Board of progress against the Implementation Plan."))
        return str(
            _(
                "To inform the Board of progress against the Implementation Plan since "
                "Update %(number)s."
            )
            % {"number": number - 1}
        )

    @staticmethod
    def default_recommendation() -> str:
        return str(_("The Board is asked to note the progress and agree the changes."))

    @property
    def paper_purpose(self) -> str:
        return self.purpose or self.default_purpose(self.number)

    @property
    def paper_recommendation(self) -> str:
        return self.recommendation or self.default_recommendation()

    @property
    def paper_purpose_cy(self) -> str:
        """The Welsh purpose; the default wording in Welsh where the English is blank too."""
        if self.purpose_cy or self.purpose:
            return self.purpose_cy
        with translation.override("cy"):
            return self.default_purpose(self.number)

    @property
    def paper_recommendation_cy(self) -> str:
        if self.recommendation_cy or self.recommendation:
            return self.recommendation_cy
        with translation.override("cy"):
            return self.default_recommendation()

    def clean(self) -> None:
        """The date: not more than a year ahead (a mistyped year would block every later
        update, which may not be dated before it) and in order with the updates around it."""
        if self.date is None or self.plan_id is None:
            return
        latest_allowed = timezone.localdate() + datetime.timedelta(days=UPDATE_MAX_DAYS_AHEAD)
        if self.date > latest_allowed:
            raise ValidationError(
                {
                    "date": _(
                        "The date cannot be more than a year ahead (the latest is %(date)s): "
                        "check the year."
                    )
                    % {"date": _day(latest_allowed)}
                }
            )
        others = PlanUpdate.objects.filter(plan_id=self.plan_id).exclude(pk=self.pk)
        if self.number is not None:
            others = others.filter(number__lt=self.number)
        previous = others.order_by("-number").first()
        if previous is not None and self.date < previous.date:
            raise ValidationError(
                {
                    "date": _(
                        "The date cannot be before the previous update (Update %(number)s is "
                        "dated %(date)s)."
                    )
                    % {"number": previous.number, "date": _day(previous.date)}
                }
            )


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


class UpdateSnapshot(models.Model):
    """The plan as it stood at an issued update, stored once (an issued update is frozen, so
    its snapshot never changes). Change reports between issued updates diff two of these
    instead of scanning the history tables; see plans/snapshots.py for the format.

    Kept apart from PlanUpdate so that listing updates never loads the blobs. ``schema`` names
    the format: a snapshot stored under another schema is rebuilt from history on next use."""

    update = models.OneToOneField(
        PlanUpdate,
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_snapshot",
    )
    schema = models.PositiveSmallIntegerField(_("format version"))
    # Machine-written JSON, never user input (user text inside it is escaped when rendered).
    data = models.TextField(_("snapshot"), editable=False)
    stored_at = models.DateTimeField(_("stored at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("stored update snapshot")
        verbose_name_plural = _("stored update snapshots")

    def __str__(self) -> str:
        return f"Snapshot of update {self.update_id} (format {self.schema})"


class OverdueReminder(models.Model):
    """Records that officers were reminded about a row passing its due date, so the daily
    reminder run never sends the same reminder twice."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="overdue_reminders")
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "due_date"], name="overdue_reminder_once_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome_id} overdue since {self.due_date}"


# Update calls live in their own module; imported here so Django finds them as plans models.
from plans.models.calls import (  # noqa: E402
    CallReminder,
    CallRequest,
    Proposal,
    RowContributors,
    UpdateCall,
)

__all__ = [
    "CallReminder",
    "CallRequest",
    "ImplementationPlan",
    "Objective",
    "Outcome",
    "OverdueReminder",
    "PlanUpdate",
    "Proposal",
    "RowContributors",
    "Task",
    "UpdateCall",
    "UpdateSnapshot",
]
