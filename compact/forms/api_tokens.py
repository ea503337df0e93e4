"""The form that makes a personal API token: its name and when it expires."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("never", _("Never (revoke it yourself)")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Council dashboard”."),
    )
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def data_for_service(self) -> dict[str, Any]:
        expires = self.cleaned_data["expires"]
        return {
            "name": self.cleaned_data["name"],
            "expires_in_days": None if expires == "never" else int(expires),
        }
