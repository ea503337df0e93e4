"""Board packs: one PDF per meeting, kept in versions, and who each version was sent to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from compact.models.meetings import Meeting
from compact.platform.pdf.languages import PaperLanguage


class BoardPack(models.Model):
    """One built version of a meeting's pack. A new version is made only when the content
    fingerprint changes; every version is kept so circulations can point at what was sent."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="packs"
    )
    version = models.PositiveIntegerField(_("version"))
    # Chosen by the officer who builds it; an automatic rebuild keeps the last choice.
    language = models.CharField(
        _("language"),
        max_length=9,
        choices=PaperLanguage.choices,
        default=PaperLanguage.ENGLISH,
    )
    fingerprint = models.CharField(_("content fingerprint"), max_length=64)
    file = models.FileField(_("file"), upload_to="board_packs/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"))
    size = models.PositiveIntegerField(_("size in bytes"))
    build_seconds = models.FloatField(_("build time (s)"), default=0)
    problems = models.TextField(_("papers left out"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("board pack")
        verbose_name_plural = _("board packs")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="board_pack_version")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} - v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("compact:pack_download", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        suffix = "" if self.language == PaperLanguage.ENGLISH else f"-{self.language}"
        return f"board-pack-{self.meeting.date:%Y-%m-%d}-v{self.version}{suffix}.pdf"


class PackBuildRequest(models.Model):
    """A build of a meeting's pack waiting for the worker. At most one per meeting, so any
    number of agenda changes queue one build; the worker deletes it as it starts building, so
    a change made during a build queues the next one."""

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="pack_build_request",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pack build request")
        verbose_name_plural = _("pack build requests")

    def __str__(self) -> str:
        return f"{self.meeting} - pack wanted since {self.requested_at:%Y-%m-%d %H:%M}"


class Circulation(models.Model):
    """A pack version sent to one recipient: who, when, by whom, and when they downloaded it."""

    pack = models.ForeignKey(
        BoardPack, verbose_name=_("pack"), on_delete=models.PROTECT, related_name="circulations"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="pack_circulations",
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_downloaded_at = models.DateTimeField(_("first downloaded"), null=True, blank=True)

    class Meta:
        verbose_name = _("circulation")
        verbose_name_plural = _("circulations")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack", "recipient"], name="circulation_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pack} -> {self.email}"
