"""The Compact itself, the partner organisations, people, and the bodies they sit on."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Compact(models.Model):
    """A local partnership agreement between the public sector and the third sector."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    area = models.CharField(_("area"), max_length=200, help_text=_("e.g. Merthyr Tydfil"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    name_cy = models.CharField(
        _("name (Welsh)"),
        max_length=200,
        blank=True,
        help_text=_("In Welsh; leave empty until it is translated."),
    )
    area_cy = models.CharField(_("area (Welsh)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_cy = models.TextField(_("summary (Welsh)"), blank=True)
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Where the public writes with a question or a concern about the Compact."),
    )
    contact_details = models.TextField(
        _("other contact details"),
        blank=True,
        help_text=_("Phone, postal address or office hours, shown on the public home page."),
    )
    contact_details_cy = models.TextField(_("other contact details (Welsh)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compact")
        verbose_name_plural = _("compacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A partner organisation: the council, the health board, VAMT, a third-sector group."""

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Public sector")
        THIRD = "third", _("Third sector")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=30, blank=True, help_text=_("e.g. MTCBC, LHB, VAMT")
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    website = models.URLField(_("website"), blank=True)
    # Who answers for the organisation's rows of the implementation plan (update calls).
    lead_contacts = models.ManyToManyField(
        "compact.Person",
        verbose_name=_("lead contacts"),
        blank=True,
        related_name="lead_for",
        help_text=_("They answer update calls for the plan rows given to this organisation."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name"],
                condition=~Q(short_name=""),
                name="organisation_short_name_unique",
                violation_error_message=_("Another organisation already uses this short name."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name


class Person(models.Model):
    """Someone who works with the Compact; the plan refers to people by initials ("ID")."""

    full_name = models.CharField(_("full name"), max_length=200)
    initials = models.CharField(
        _("initials"),
        max_length=10,
        blank=True,
        help_text=_("As used in the plan's Responsibility column, e.g. ID"),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initials"],
                condition=~Q(initials=""),
                name="person_initials_unique",
                violation_error_message=_("Another person already has these initials."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        self.initials = self.initials.strip().upper()


class Body(models.Model):
    """A body of the Compact: the Board, the Officers Group, a task group, the scrutiny body, or a
    third-sector network or forum."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Compact Board")
        OFFICERS_GROUP = "officers_group", _("Compact Officers Group")
        TASK_GROUP = "task_group", _("Task group")
        SCRUTINY = "scrutiny", _("Scrutiny body")
        NETWORK = "network", _("Network or forum")

    compact = models.ForeignKey(
        Compact, verbose_name=_("compact"), on_delete=models.CASCADE, related_name="bodies"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    meetings_public = models.BooleanField(
        _("meetings listed publicly"),
        default=False,
        help_text=_("Show the dates of this body's coming meetings on the public home page."),
    )
    remit = models.TextField(_("remit"), blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    expected_meetings_per_year = models.PositiveSmallIntegerField(
        _("expected meetings per year"), default=0
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"),
        default=0,
        help_text=_(
            "How many members (or their substitutes) must be present, from the terms of "
            "reference; 0: no quorum set."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["compact", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "name"], name="body_name_unique_in_compact")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("compact:body_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A body cannot report to itself.")})


class Membership(models.Model):
    """A person's seat on a body, in a role, for a period, representing an organisation."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARIAT = "secretariat", _("Secretariat")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        ADVISER = "adviser", _("Adviser")

    # One holder at a time for these roles.
    SINGLE_HOLDER_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR})

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "role", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.get_role_display()}, {self.body}"

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.role in self.SINGLE_HOLDER_ROLES and self.body_id and self.start_date:
            clash = self._overlapping_same_role().first()
            if clash is not None:
                raise ValidationError(
                    {
                        "role": _(
                            "%(body)s already has a %(role)s for this period: %(person)s "
                            "(from %(start)s). End that membership first."
                        )
                        % {
                            "body": self.body,
                            "role": self.get_role_display().lower(),
                            "person": clash.person,
                            "start": date_format(clash.start_date, "d F Y"),
                        }
                    }
                )

    def _overlapping_same_role(self) -> models.QuerySet[Membership]:
        """Other memberships of the same single-holder role whose period overlaps this one."""
        others = Membership.objects.filter(body_id=self.body_id, role=self.role).exclude(pk=self.pk)
        others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date is not None:
            others = others.filter(start_date__lte=self.end_date)
        return others.select_related("person")
