"""The audit trail of role changes: who gave or took which role from whom, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleChange(models.Model):
    """One role added to or removed from a user. Written only by ``compact.platform.roles``; never
    edited or deleted through the app (the admin shows it read-only)."""

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")

    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,  # None: the system (migrate, demo loader, management commands)
        blank=True,
        related_name="+",
    )
    # Names kept as text too, so the record outlives a deleted account.
    changed_by_username = models.CharField(_("changed by (username)"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="role_changes",
    )
    username = models.CharField(_("username"), max_length=150)
    role = models.CharField(_("role"), max_length=150)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.role} {self.get_action_display().lower()}: {self.username}"
