"""The second factor's own records: hashed single-use recovery codes, and the audit trail of
every change to a person's second factor. The authenticator app's secret is django-otp's
``TOTPDevice``; these are written only by ``compact.services.two_factor``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecoveryCode(models.Model):
    """One single-use recovery code, stored as a salted SHA-256 hash (the code itself is shown
    once, at enrolment or regeneration, and never stored)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"recovery code {self.pk} of user {self.user_id}"


class SecondFactorChange(models.Model):
    """One change to a person's second factor: enrolled, recovery codes regenerated, reset by
    an administrator. Never edited or deleted through the app."""

    class Action(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        CODES_REGENERATED = "regenerated", _("Recovery codes regenerated")
        RESET = "reset", _("Reset by an administrator")

    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by_username = models.CharField(_("changed by (username)"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="second_factor_changes",
    )
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("second factor change")
        verbose_name_plural = _("second factor changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.username}"
