"""Selection rounds: the list, opening a round or recording a direct link, the round page and each
step of the protocol (representatives.procedure), the letter to the statutory body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from compact.platform.access import Role, has_role, roles_required
from compact.platform.forms import apply_validation_error
from compact.platform.pdf.languages import language_suffix, paper_language_or_404
from representatives import forms, papers, procedure, selectors, services
from representatives.models import (
    SelectionRound,
)
from representatives.views.common import GET_POST, _form_page


# Administrators manage sign-ups and put them forward, so they may read the rounds; running
# a round (opening it, its steps, the letter) stays with VAMT's officers.
@roles_required(Role.OFFICER, Role.ADMINISTRATOR)
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "representatives/round_list.html",
        {
            "rounds": selectors.round_list().order_by("-created_at"),
            "is_officer": has_role(request.user, Role.OFFICER),
        },
    )


@roles_required(Role.OFFICER)
@GET_POST
def round_open(request: HttpRequest) -> HttpResponse:
    form = forms.RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            selection_round = services.round_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(selection_round.get_absolute_url())
    return _form_page(
        request,
        form=form,
        title=_("Open a selection round"),
        cancel_url=reverse("representatives:round_list"),
    )


@roles_required(Role.OFFICER)
@GET_POST
def direct_link(request: HttpRequest) -> HttpResponse:
    form = forms.DirectLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.direct_link_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(appointment.get_absolute_url())
    return _form_page(
        request,
        form=form,
        title=_("Record an existing direct link"),
        intro=_(
            "The statutory partner has informed VAMT of a third-sector member; VAMT links "
            "with them and invites them to meetings and events."
        ),
        cancel_url=reverse("representatives:round_list"),
    )


@roles_required(Role.OFFICER, Role.ADMINISTRATOR)
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        selection_round = selectors.round_detail(pk)
    except SelectionRound.DoesNotExist as exc:
        raise Http404 from exc
    is_officer = has_role(request.user, Role.OFFICER)
    return render(
        request,
        "representatives/round_detail.html",
        {
            "round": selection_round,
            "actions": _available_actions(selection_round) if is_officer else [],
            "is_officer": is_officer,
        },
    )


# How each step of the protocol (representatives.procedure.STEPS) hands its form to its service.
RUNNERS: dict[str, Callable[[SelectionRound, Any, Any], Any]] = {
    "timetable": lambda r, f, a: services.round_agree_timetable(
        selection_round=r, actor=a, **f.cleaned_data
    ),
    "canvass": lambda r, f, a: services.round_canvass(
        selection_round=r,
        channels=f.cleaned_data["channels"],
        wider_membership=f.cleaned_data["wider_membership"],
        canvassed_on=f.cleaned_data["done_on"],
        note=f.cleaned_data["note"],
        actor=a,
    ),
    "circulate": lambda r, f, a: services.round_membership_circulate(
        selection_round=r,
        channels=f.cleaned_data["channels"],
        wider_membership=f.cleaned_data["wider_membership"],
        circulated_on=f.cleaned_data["done_on"],
        note=f.cleaned_data["note"],
        actor=a,
    ),
    "nominate": lambda r, f, a: services.nomination_add(
        selection_round=r, actor=a, **f.cleaned_data
    ),
    "eligibility": lambda r, f, a: services.nomination_check_eligibility(actor=a, **f.cleaned_data),
    "withdraw": lambda r, f, a: services.nomination_withdraw(actor=a, **f.cleaned_data),
    "election": lambda r, f, a: services.round_open_election(
        selection_round=r,
        constituency=f.cleaned_data["constituency"],
        opened_on=f.cleaned_data["done_on"],
        actor=a,
    ),
    "votes": lambda r, f, a: services.election_record_votes(
        selection_round=r, votes=f.votes(), actor=a
    ),
    "declare": lambda r, f, a: services.election_declare_result(
        selection_round=r,
        declared_on=f.cleaned_data["done_on"],
        tie_winners=list(f.cleaned_data["tie_winners"]),
        tie_decision=f.cleaned_data["tie_decision"],
        actor=a,
    ),
    "inform": lambda r, f, a: services.round_inform_statutory_body(
        selection_round=r,
        recipient=f.cleaned_data["recipient"],
        email=f.cleaned_data["email"],
        sent_on=f.cleaned_data["done_on"],
        actor=a,
    ),
    "choose": lambda r, f, a: services.round_membership_choose(
        selection_round=r,
        nomination=f.cleaned_data["nomination"],
        informed_on=f.cleaned_data["done_on"],
        actor=a,
    ),
    "appoint": lambda r, f, a: services.appointment_make(
        selection_round=r, actor=a, **f.cleaned_data
    ),
    "cancel": lambda r, f, a: services.round_cancel(
        selection_round=r, reason=f.cleaned_data["reason"], actor=a
    ),
}


def _available_actions(selection_round: SelectionRound) -> list[tuple[str, Any]]:
    return [(step.key, step.label) for step in procedure.available_steps(selection_round)]


@roles_required(Role.OFFICER)
@GET_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of a round. The form is shown for any step; the service refuses steps taken
    out of order with a message saying which step comes next."""
    selection_round = get_object_or_404(
        SelectionRound.objects.select_related("place__partnership", "constituency"), pk=pk
    )
    step = procedure.STEPS.get(action)
    if step is None:
        raise Http404
    form = getattr(forms, step.form)(request.POST or None, selection_round=selection_round)
    if request.method == "POST" and form.is_valid():
        try:
            RUNNERS[step.key](selection_round, form, request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(step)s: recorded.") % {"step": step.label})
            return redirect(selection_round.get_absolute_url())
    extra: dict[str, Any] = {}
    if action == "inform" and selection_round.nominations.filter(elected=True).exists():
        # Step 5: show the drafted email and letter before the officer records sending them.
        extra["draft"] = render_to_string(
            "representatives/email/letter.txt", papers.round_letter_context(selection_round)
        )
        extra["letter_url"] = reverse("representatives:round_letter", kwargs={"pk": pk})
    return _form_page(
        request,
        form=form,
        title=step.label,
        subtitle=str(selection_round),
        cancel_url=selection_round.get_absolute_url(),
        **extra,
    )


@roles_required(Role.OFFICER)
@require_GET
def round_letter(request: HttpRequest, pk: int) -> HttpResponse:
    selection_round = get_object_or_404(SelectionRound, pk=pk)
    if not selection_round.nominations.filter(elected=True).exists():
        messages.error(request, _("The letter can be drafted once the result is declared."))
        return redirect(selection_round.get_absolute_url())
    language = paper_language_or_404(request)
    response = HttpResponse(
        papers.round_letter_pdf(selection_round, language=language),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="representative-letter-{pk}{language_suffix(language)}.pdf"'
    )
    return response
