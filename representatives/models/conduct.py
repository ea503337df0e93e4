"""The Third Sector Representatives' Code of Conduct: its versions and representatives'
signatures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compact.models import CodeDocumentVersion, CodeOfPractice, Person
from partnerships.models import Partnership


class CodeOfConductVersion(models.Model):
    """A version of the Third Sector Representatives' Code of Conduct and Agreement (Appendix
    2) published for representatives to sign. The wording is the codes register's own version
    (``document``): the register is the one list of the code's versions, and this record adds
    what signing needs: when it binds, who published it, and which one is current (exactly one;
    representatives sign the current one)."""

    document = models.OneToOneField(
        CodeDocumentVersion,
        verbose_name=_("version in the codes register"),
        on_delete=models.PROTECT,
        related_name="conduct_publication",
    )
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

    # The wording lives in the register; these read it (select_related("document") where
    # a list shows them).
    @property
    def version(self) -> str:
        return self.document.label

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def text_cy(self) -> str:
        """The Welsh wording (the register version's ``text_cy``), so ``{% bi version "text" %}``
        gives the reader's language."""
        return self.document.text_cy

    def has_text_in(self, language: str) -> bool:
        """Whether there is wording to sign in ``language`` ("cy" or "en")."""
        text = self.text_cy if language == Signature.Language.WELSH else self.text
        return bool((text or "").strip())

    @property
    def code(self) -> CodeOfPractice:
        return self.document.code

    @property
    def code_id(self) -> int:
        return self.document.code_id


class Signature(models.Model):
    """A representative's electronic signature of a Code of Conduct version, on behalf of one
    partnership, as on the paper form: signed, organisation, on behalf of partnership; and
    the language of the wording they read and signed (the Welsh Language Standards treat a
    Welsh signature as no less valid, so the record says which it was)."""

    class Language(models.TextChoices):
        WELSH = "cy", _("Welsh")
        ENGLISH = "en", _("English")

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
    # Signatures made before the code had Welsh were all of the English wording.
    language = models.CharField(
        _("language signed in"),
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
    )
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

    @property
    def signed_in_words(self) -> str:
        """ "Signed in Welsh" / "Signed in English", in the reader's language."""
        if self.language == self.Language.WELSH:
            return str(_("Signed in Welsh"))
        return str(_("Signed in English"))
