"""The register of partnerships and joint working groups the third sector sits on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Commitment, Compact, Organisation, Person
from compact.platform.language import either_text, require_one_language, text_of

# How far up the "feeds into" chain the model looks for a loop before giving up.
MAX_PARENT_DEPTH = 50


class Partnership(models.Model):
    """A partnership or joint working group on which the third sector has places."""

    class Type(models.TextChoices):
        STRATEGIC = "strategic", _("Statutory / strategic partnership")
        PLANNING = "planning", _("Strategic planning or commissioning group")
        SUB_GROUP = "sub_group", _("Sub group or task group feeding a partnership")
        JOINT_PROJECT = "joint_project", _("Joint project or venture")
        FORUM = "forum", _("Forum or network")
        CONSULTATIVE = "consultative", _("Consultative body")
        SCRUTINY = "scrutiny", _("Scrutiny and evaluation committee")

    class Coverage(models.TextChoices):
        COUNTY = "county", _("County (Merthyr Tydfil)")
        REGIONAL = "regional", _("Regional / coterminous with the Health Board")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    compact = models.ForeignKey(
        Compact, verbose_name=_("compact"), on_delete=models.CASCADE, related_name="partnerships"
    )
    name = models.CharField(_("name"), max_length=200)
    # The Welsh twins of the name and purpose (docs/welsh.md); the English name stays required,
    # as it is the register's unique key.
    name_cy = models.CharField(
        _("name (Welsh)"),
        max_length=200,
        blank=True,
        help_text=_("In Welsh; leave empty until it is translated."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("feeds into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    lead_body = models.ForeignKey(
        Organisation,
        verbose_name=_("lead statutory body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships_led",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    purpose_cy = models.TextField(_("purpose (Welsh)"), blank=True)
    meeting_frequency = models.CharField(_("meeting frequency"), max_length=100, blank=True)
    coverage = models.CharField(
        _("coverage"), max_length=10, choices=Coverage.choices, default=Coverage.COUNTY
    )
    other_cvcs = models.ManyToManyField(
        Organisation,
        verbose_name=_("other counties' CVCs to consult"),
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership_contacts",
    )
    terms_of_reference = models.FileField(
        _("terms of reference"), upload_to="partnerships/terms/", blank=True
    )
    terms_of_reference_date = models.DateField(_("terms of reference dated"), null=True, blank=True)
    published = models.BooleanField(
        _("show on the public register"),
        default=True,
        help_text=_("Listed on the public page when active."),
    )
    # Bumped by every save through the services: an edit form's optimistic lock.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["terms_of_reference"])

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "name"], name="partnership_name_unique_in_compact"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    @property
    def reader_name(self) -> str:
        """The name in the reader's language (the English where the Welsh is missing): for
        choices in forms, where ``__str__`` keeps the English that keys the register."""
        return text_of(self, "name")

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.type == self.Type.SUB_GROUP and not self.parent_id:
            errors.setdefault("parent", []).append(
                _("A sub group or task group must name the partnership it feeds into.")
            )
        if self.parent_id:
            message = self.parent_loop_message(self.parent)
            if message:
                errors.setdefault("parent", []).append(message)
        if errors:
            raise ValidationError(errors)

    def parent_loop_message(self, parent: Partnership | None) -> str:
        """Why ``parent`` cannot be this partnership's parent, or "" when it can."""
        if parent is None:
            return ""
        if self.pk is not None and parent.pk == self.pk:
            return str(_("A partnership cannot feed into itself."))
        if self.pk is None:
            return ""
        node: Partnership | None = parent
        seen: set[int] = set()
        while node is not None and node.pk not in seen and len(seen) < MAX_PARENT_DEPTH:
            if node.parent_id == self.pk:
                return str(
                    _(
                        "%(parent)s already feeds into %(name)s (directly or through its "
                        "sub groups), so %(name)s cannot feed into it."
                    )
                    % {"parent": parent.name, "name": self.name}
                )
            seen.add(node.pk)
            node = node.parent if node.parent_id else None
        return ""

    def descendant_ids(self) -> set[int]:
        """Primary keys of every partnership feeding into this one, however indirectly."""
        found: set[int] = set()
        frontier = {self.pk}
        while frontier and len(found) < 10_000:
            children = set(
                Partnership.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            frontier = children - found - {self.pk}
            found |= frontier
        return found


class ThirdSectorPlace(models.Model):
    """A defined third-sector place (seat) on a partnership; representatives fill it."""

    class Kind(models.TextChoices):
        ELECTED = "elected", _("Elected third-sector representative")
        SPECIALIST = "specialist", _("Third-sector member for specialist input")
        VAMT_CHIEF_OFFICER = "vamt_chief_officer", _("VAMT Chief Officer")
        VAMT_STAFF = "vamt_staff", _("VAMT staff in a supporting or specialist role")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="places"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    # The Welsh twins of the title and role description (docs/welsh.md); both stay optional.
    title_cy = models.CharField(_("title (Welsh)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number_of_places = models.PositiveSmallIntegerField(_("number of places"), default=1)
    has_deputy = models.BooleanField(_("has a deputy place"), default=False)
    term_months = models.PositiveSmallIntegerField(_("term length (months)"), null=True, blank=True)
    role_description = models.TextField(_("role description"), blank=True)
    role_description_cy = models.TextField(_("role description (Welsh)"), blank=True)
    # Bumped by every save through the services: an edit form's optimistic lock.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("third-sector place")
        verbose_name_plural = _("third-sector places")
        ordering = ["partnership", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {either_text(self, 'title') or self.get_kind_display()}"

    @property
    def label(self) -> str:
        """The title in the reader's language (the other one where missing), else the kind."""
        return text_of(self, "title") or str(self.get_kind_display())

    @property
    def reader_label(self) -> str:
        """The partnership and the place in the reader's language: for choices in forms."""
        return f"{self.partnership.reader_name}: {self.label}"


class RegisterSettings(models.Model):
    """The Compact's choices about its partnerships register, such as whether to publish it."""

    compact = models.OneToOneField(
        Compact,
        verbose_name=_("compact"),
        on_delete=models.CASCADE,
        related_name="partnership_register_settings",
    )
    publish_public_register = models.BooleanField(
        _("publish the register on a public page"),
        default=False,
        help_text=_(
            "When on, anyone can read the active partnerships marked for the public register, "
            "with their third-sector representatives' names and organisations (never contact "
            "details)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("register settings")
        verbose_name_plural = _("register settings")

    def __str__(self) -> str:
        return str(_("Register settings of %(compact)s") % {"compact": self.compact})


class ComplianceCheck(models.Model):
    """How well one partnership keeps one commitment of the Partnership Working Code, with the
    evidence and the date it was last checked."""

    class Status(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        NOT_ASSESSED = "not_assessed", _("Not assessed")

    # Statuses that make a partnership "non-compliant" in the register's filter.
    FAILING = frozenset({Status.NOT_MET, Status.PARTLY})

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="compliance_checks",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="compliance_checks",
    )
    status = models.CharField(
        _("met?"), max_length=20, choices=Status.choices, default=Status.NOT_ASSESSED
    )
    evidence = models.TextField(_("evidence"), blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")
        ordering = ["partnership", "commitment"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "commitment"],
                name="compliance_check_once_per_commitment",
                violation_error_message=_(
                    "This partnership already has a check for this commitment."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.commitment.reference} - {self.get_status_display()}"

    @property
    def is_failing(self) -> bool:
        return self.status in self.FAILING

    def clean(self) -> None:
        if self.status != self.Status.NOT_ASSESSED and not self.checked_on:
            raise ValidationError({"checked_on": _("Give the date this commitment was checked.")})


class Review(models.Model):
    """A review of a partnership's effectiveness and quality (All parties 6), with its findings,
    a rating and the actions to follow up."""

    class Rating(models.TextChoices):
        EFFECTIVE = "effective", _("Effective")
        MOSTLY = "mostly", _("Mostly effective")
        IMPROVEMENT = "improvement", _("Needs improvement")
        INEFFECTIVE = "ineffective", _("Not effective")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="reviews"
    )
    review_date = models.DateField(_("date of review"))
    reviewer = models.CharField(
        _("reviewed by"),
        max_length=200,
        help_text=_("A person or body, e.g. Compact Officers Group"),
    )
    # The English alone used to be required: now either language (``clean``).
    findings = models.TextField(_("findings"), blank=True)
    findings_cy = models.TextField(_("findings (Welsh)"), blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True)
    follow_up_actions_cy = models.TextField(_("follow-up actions (Welsh)"), blank=True)
    follow_up_by = models.DateField(_("follow up by"), null=True, blank=True)
    # Bumped by every save through the services: an edit form's optimistic lock.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["partnership", "-review_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {date_format(self.review_date, 'd F Y')}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            require_one_language(self, "findings")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.follow_up_by and self.review_date and self.follow_up_by < self.review_date:
            errors["follow_up_by"] = [_("The follow-up date cannot be before the review.")]
        if errors:
            raise ValidationError(errors)
