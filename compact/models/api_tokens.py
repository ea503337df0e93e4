"""Personal tokens for the read-only API (/api/v1/): a person makes one on their account page,
sees its secret once, and sends it as ``Authorization: Bearer <token>``. Only a SHA-256 digest
of the secret is kept (the secret is 256 random bits, so a plain digest cannot be guessed back);
a token reads what its holder may read on the web pages, never more, and never writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One personal API token: named by its holder, read-only, optionally expiring, revocable."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, shown in lists so a holder can tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: object = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()
