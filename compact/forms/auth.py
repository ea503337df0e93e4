"""The password-reset form: Django's, plus accounts that never had a password but whose e-mail
address was confirmed (people approved from a sign-up; see compact.platform.registry)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from compact.platform.mail import send_in_their_language
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

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """In the account holder's language (both, Welsh first, if they never chose one),
        whatever the language of the page the reset was asked from."""
        user = context.get("user")
        send_in_their_language(
            recipients=[user if user is not None and user.email == to_email else to_email],
            subject=lambda: render_to_string(subject_template_name, context),
            body=lambda: render_to_string(email_template_name, context),
            from_email=from_email,
        )
