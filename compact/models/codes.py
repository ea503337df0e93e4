"""Codes of practice and their numbered commitments, which partnerships and disputes cite."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models.core import Body, Compact, Person
from compact.platform.language import either_text, require_one_language

# Content in two languages: each translated field ``x`` has a twin ``x_cy`` with the same
# limits, recorded in the same history row (docs/welsh.md).
WELSH_HELP = _("In Welsh; leave empty until it is translated.")

# The Partnership Working Code of Practice, which partnership checks and disputes cite.
PARTNERSHIP_CODE_SLUG = "partnership-working-code"
# The register entry of Appendix 2 of the Partnership Working Code, which representatives sign.
CODE_OF_CONDUCT_SLUG = "third-sector-representatives-code-of-conduct"


class CodeOfPractice(models.Model):
    """A code of practice or supporting document of the Compact (e.g. the Partnership Working
    Code of Practice, the Representatives' Code of Conduct)."""

    class Status(models.TextChoices):
        TO_BE_DEVELOPED = "to_be_developed", _("To be developed")
        IN_DEVELOPMENT = "in_development", _("In development")
        DRAFT = "draft", _("Draft for consultation")
        AGREED = "agreed", _("Agreed")
        UNDER_REVIEW = "under_review", _("Under review")

    class Kind(models.TextChoices):
        CODE = "code", _("Code of practice")
        PROTOCOL = "protocol", _("Protocol")
        CODE_OF_CONDUCT = "code_of_conduct", _("Code of conduct")
        PROCESS = "process", _("Process")
        DOCUMENT = "document", _("Supporting document")

    compact = models.ForeignKey(
        Compact, verbose_name=_("compact"), on_delete=models.CASCADE, related_name="codes"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_cy = models.CharField(
        _("title (Welsh)"), max_length=200, blank=True, help_text=WELSH_HELP
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CODE)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TO_BE_DEVELOPED
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codes_owned",
    )
    owner_body = models.ForeignKey(
        Body,
        verbose_name=_("owning body"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codes_owned",
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_cy = models.TextField(_("summary (Welsh)"), blank=True, help_text=WELSH_HELP)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("code of practice")
        verbose_name_plural = _("codes of practice")
        ordering = ["title"]

    def __str__(self) -> str:
        return either_text(self, "title")

    def clean(self) -> None:
        require_one_language(self, "title")


class Commitment(models.Model):
    """One numbered commitment of a code, by party: "All parties will: 2. Make explicit mention
    of this code in appropriate documents ..."."""

    class Party(models.TextChoices):
        ALL = "all", _("All parties")
        PUBLIC = "public", _("Public sector organisations")
        VAMT = "vamt", _("VAMT on behalf of the third sector")
        THIRD = "third", _("Third sector organisations")

    code = models.ForeignKey(
        CodeOfPractice,
        verbose_name=_("code"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), blank=True)
    text_cy = models.TextField(_("text (Welsh)"), blank=True, help_text=WELSH_HELP)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["code", "party", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "party", "number"],
                name="commitment_number_unique_per_party",
                violation_error_message=_("This party already has a commitment with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.number}"

    def clean(self) -> None:
        require_one_language(self, "text")

    @property
    def reference(self) -> str:
        """Short citation, e.g. "All parties 2"."""
        return f"{self.get_party_display()} {self.number}"


class CodeDocumentVersion(models.Model):
    """One version of a code's document: an uploaded file or its text, with a label and date."""

    code = models.ForeignKey(
        CodeOfPractice,
        verbose_name=_("code"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    label = models.CharField(_("version"), max_length=40, help_text=_("e.g. 1, 2009 review"))
    date = models.DateField(_("date"))
    file = models.FileField(_("document (PDF)"), upload_to="codes/", blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    text = models.TextField(_("text"), blank=True)
    text_cy = models.TextField(_("text (Welsh)"), blank=True, help_text=WELSH_HELP)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    notes_cy = models.CharField(
        _("notes (Welsh)"), max_length=200, blank=True, help_text=WELSH_HELP
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["code", "-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "label"],
                name="code_version_label_unique",
                violation_error_message=_("This code already has a version with this label."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.label}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.file and not self.text.strip() and not self.text_cy.strip():
            raise ValidationError(_("A version needs either a PDF document or its text."))
