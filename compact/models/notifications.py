"""E-mail notifications to the Board: each person's choice, what they were told about, and
the weekly digests sent (once per person per week)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NotificationPreference(models.Model):
    """How one person wants to hear about issued plan updates and circulated board packs.
    A person without a row gets the default, "each time"."""

    class Frequency(models.TextChoices):
        EACH_TIME = "each", _("Each time (an e-mail for every update or pack)")
        WEEKLY = "weekly", _("A weekly digest (one e-mail a week listing them)")
        NONE = "none", _("None (I will look on the site)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    frequency = models.CharField(
        _("e-mail me"), max_length=10, choices=Frequency.choices, default=Frequency.EACH_TIME
    )
    # The language they read (chosen with the switch in the header); empty until they choose:
    # e-mails then go in both languages, Welsh first.
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )
    # When the choice last changed: a digest never reaches back before the person chose it.
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class Notification(models.Model):
    """One thing the Board was told about (an issued update, a circulated pack); ``key`` makes
    telling twice about the same thing impossible."""

    kind = models.CharField(_("kind"), max_length=50)  # "plans.update_issued"
    key = models.CharField(_("key"), max_length=100)  # e.g. "<plan id>:<number>"
    subject = models.CharField(_("subject"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    # The same in Welsh, so each reader is told in their language (compact.platform.language).
    subject_cy = models.CharField(_("subject (Welsh)"), max_length=300, blank=True)
    summary_cy = models.TextField(_("summary (Welsh)"), blank=True)
    path = models.CharField(_("link"), max_length=500)  # site-relative
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="notification_once_per_thing")
        ]

    def __str__(self) -> str:
        return self.subject


class WeeklyDigest(models.Model):
    """A weekly digest sent (or found empty) for one person: at most one per week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="weekly_digests",
    )
    week_start = models.DateField(_("week starting"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    items = models.PositiveIntegerField(_("items"), default=0)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-week_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user}, week of {self.week_start}"


class DigestItem(models.Model):
    """A notification waiting for (or included in) one person's weekly digest."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    digest = models.ForeignKey(
        WeeklyDigest,
        verbose_name=_("sent in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
    )

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "user"], name="digest_item_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification} for {self.user}"
