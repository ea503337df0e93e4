"""My notifications: each signed-in person chooses how they hear about issued plan updates and
circulated board packs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from compact.models import NotificationPreference
from compact.platform.access import Role, has_role, signed_in
from compact.services import notifications as services


class NotificationPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("E-mail me when a plan update is issued or a board pack circulated"),
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how you want to be told."),
            "invalid_choice": gettext_lazy("Choose one of the options shown."),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def my_notifications(request: HttpRequest) -> HttpResponse:
    current = services.frequency_of(request.user)
    form = NotificationPreferenceForm(request.POST or None, initial={"frequency": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preference_set(
                user=request.user, frequency=form.cleaned_data["frequency"], actor=request.user
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Your notification choice is saved."))
            return redirect("my_notifications")
    return render(
        request,
        "compact/my_notifications.html",
        {
            "form": form,
            "is_board_member": has_role(request.user, Role.BOARD),
            "has_email": bool(request.user.email),
            "is_administrator": has_role(request.user, Role.ADMINISTRATOR),
        },
    )
