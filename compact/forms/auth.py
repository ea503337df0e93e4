"""The password-reset form: Django's, plus accounts that never had a password but whose e-mail
address was confirmed (people approved from a sign-up; see compact.platform.registry)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from compact.platform.registry import email_confirmed


class PasswordResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email: str) -> Iterator[Any]:
        # Django skips unusable passwords (an account someone disabled that way must not be
        # reopened by e-mail); a confirmed address is the exception, and only that.
        model = get_user_model()
        field = model.get_email_field_name()
        users = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        for user in users:
            address = getattr(user, field) or ""
            if not auth_forms._unicode_ci_compare(email, address):
                continue
            if user.has_usable_password() or email_confirmed(user):
                yield user
