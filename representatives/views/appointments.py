"""Appointments: the list, an appointment's page, induction and ending a term."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compact.platform.access import Role, has_role, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from representatives import forms, selectors, services
from representatives.models import (
    Appointment,
)
from representatives.views.common import GET_POST, _form_page, _owned_or_404


@roles_required(Role.OFFICER)
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "representatives/appointment_list.html",
        {
            "appointments": selectors.appointments_current().order_by(
                "partnership__name", "place_id", "deputy_of_id"
            ),
            "ending": selectors.appointments_ending(),
        },
    )


def _appointment_for(request: HttpRequest, pk: int) -> Appointment:
    appointment = get_object_or_404(
        Appointment.objects.select_related(
            "person__organisation",
            "organisation",
            "place__partnership",
            "round",
            "mandate_body",
            "deputy_of__person",
        ),
        pk=pk,
    )
    _owned_or_404(request, "representatives.view_appointment", appointment)
    return appointment


@signed_in
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment_for(request, pk)
    deputy = Appointment.objects.filter(deputy_of=appointment).select_related("person").first()
    return render(
        request,
        "representatives/appointment_detail.html",
        {
            "appointment": appointment,
            "deputy": deputy,
            "code_signed": services.appointment_code_signed(appointment),
            "is_officer": has_role(request.user, Role.OFFICER),
            "induction_form": forms.InductionForm(),
        },
    )


@roles_required(Role.OFFICER)
@require_POST
def appointment_induction(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment, pk=pk)
    form = forms.InductionForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_induction_record(
                appointment=appointment, items=form.cleaned_data["items"], actor=request.user
            )
            if form.cleaned_data["complete"]:
                services.appointment_induction_complete(appointment=appointment, actor=request.user)
                messages.success(request, _("Induction complete: the appointment is active."))
            else:
                messages.success(request, _("Induction checklist updated."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return redirect(appointment.get_absolute_url())


@roles_required(Role.OFFICER)
@GET_POST
def appointment_end(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment, pk=pk)
    form = forms.EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_end(
                appointment=appointment, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(appointment.get_absolute_url())
    return _form_page(
        request,
        form=form,
        title=_("End the appointment"),
        subtitle=str(appointment),
        cancel_url=appointment.get_absolute_url(),
    )
