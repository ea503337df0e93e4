"""The register of partnerships and joint working groups the third sector sits on."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import Compact, Organisation, Person


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
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number_of_places = models.PositiveSmallIntegerField(_("number of places"), default=1)
    has_deputy = models.BooleanField(_("has a deputy place"), default=False)
    term_months = models.PositiveSmallIntegerField(_("term length (months)"), null=True, blank=True)
    role_description = models.TextField(_("role description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("third-sector place")
        verbose_name_plural = _("third-sector places")
        ordering = ["partnership", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.title or self.get_kind_display()}"
