"""The account audit log: who signed in, failed to, signed out, changed a password or a second
factor, had a role changed, had their sessions ended, or was told of, or had, their unused
account disabled (and enabled again). Written by
``compact.platform.audit.record_account_event``; never edited through the app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountEvent(models.Model):
    """One thing that happened to an account."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        SSO_SIGN_IN = "sso_sign_in", _("Signed in through single sign-on")
        SECOND_FACTOR_PASSED = "second_factor_passed", _("Second step passed")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Second step failed")
        SECOND_FACTOR_CHANGED = "second_factor_changed", _("Second step changed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        SESSIONS_ENDED = "sessions_ended", _("Other sessions ended")
        ACCOUNT_DISABLED = "account_disabled", _("Account disabled")
        INACTIVE_NOTICE = "inactive_notice", _("Told the unused account will be disabled")
        ACCOUNT_ENABLED = "account_enabled", _("Account enabled again")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        API_TOKEN_REFUSED = "api_token_refused", _("API token refused")

    when = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_events",
    )
    username = models.CharField(_("username tried"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-when", "-pk"]
        verbose_name = _("account event")
        verbose_name_plural = _("account events")

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.kind} {self.username}"
