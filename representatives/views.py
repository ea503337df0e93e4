"""Views for representatives: parse input with a form, call one service, render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.platform.access import Role, has_role, public, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.pdf import render_pdf
from compact.platform.spreadsheets import write_csv_rows
from compact.platform.throttle import hashed, rate_allows, within_rate
from compact.selectors import person_of
from representatives import forms, procedure, selectors, services
from representatives.models import (
    Appointment,
    CodeOfConductVersion,
    Declaration,
    FeedbackReport,
    SectorIssue,
    SelectionRound,
    Signature,
    SignUp,
)

GET_POST = require_http_methods(["GET", "POST"])


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _owned_or_404(request: HttpRequest, perm: str, obj: Model) -> None:
    """Object rule: someone else's object is simply not found."""
    if not request.user.has_perm(perm, obj):
        raise Http404


def _form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return render(request, "representatives/form_page.html", context)


# --- Sign-ups -----------------------------------------------------------------------------


def _signup_refusal(request: HttpRequest, email: str) -> str | None:
    """Why this sign-up may not send its e-mail now, or None. Each one e-mails an address the
    visitor typed, so both the client and the address it e-mails are limited."""
    if not within_rate(
        request, "signup", limit=settings.REPRESENTATIVES_SIGNUPS_PER_HOUR, seconds=3600
    ):
        return _("Too many sign-ups from this connection. Please try again in an hour.")
    if not rate_allows(
        scope="signup-email",
        client=hashed(email),
        limit=settings.REPRESENTATIVES_SIGNUPS_PER_EMAIL_PER_DAY,
        seconds=24 * 3600,
    ):
        return _(
            "We have already sent several confirmation e-mails to this address today. Please "
            "look for them (and in your junk folder), or try again tomorrow."
        )
    return None


@public
@GET_POST
def signup(request: HttpRequest) -> HttpResponse:
    form = forms.SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):
            # The honeypot was filled in: a robot. Pretend all is well and keep nothing.
            return redirect("representatives:signup_done")
        refusal = _signup_refusal(request, form.cleaned_data["email"]) if form.is_valid() else None
        if refusal:
            form.add_error(None, refusal)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.signup_submit(
                    full_name=data["full_name"],
                    organisation_name=data["organisation_name"],
                    email=data["email"],
                    phone=data["phone"],
                    address=data["address"],
                    interest=data["interest"],
                    interests=data["interests"],
                    experience=data["experience"],
                    places=data["places"],
                    partnerships=data["partnerships"],
                    consent=data["consent"],
                    site_url=_site_url(request),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("representatives:signup_done")
    return render(
        request,
        "representatives/signup_form.html",
        {"form": form, "consent_wording": services.CONSENT_WORDING},
        status=status,
    )


@public
@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "representatives/signup_done.html")


@public
@require_GET
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.signup_confirm(token=token)
    except ValidationError as error:
        return render(
            request,
            "representatives/signup_confirmed.html",
            {"error": error.messages[0]},
            status=400,
        )
    return render(request, "representatives/signup_confirmed.html")


@roles_required(Role.ADMINISTRATOR, Role.OFFICER)
@require_GET
def signup_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in SignUp.Status.values:
        status = ""
    return render(
        request,
        "representatives/signup_list.html",
        {
            "signups": selectors.signup_queue(status=status or None),
            "statuses": SignUp.Status.choices,
            "status": status,
        },
    )


def _signup_forms(signup: SignUp, data: Any = None, action: str = "") -> dict[str, Form]:
    return {
        "reject": forms.ReasonForm(data if action == "reject" else None, prefix="reject"),
        "merge": forms.MergeForm(
            data if action == "merge" else None, signup=signup, prefix="merge"
        ),
        "nominate": forms.PutForwardForm(data if action == "nominate" else None, prefix="nominate"),
    }


@roles_required(Role.ADMINISTRATOR, Role.OFFICER)
@require_GET
def signup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(
        SignUp.objects.prefetch_related(
            "places__partnership", "partnerships", "nominations__round__place__partnership"
        ),
        pk=pk,
    )
    return render(
        request,
        "representatives/signup_detail.html",
        {
            "signup": signup,
            "forms": _signup_forms(signup),
            "is_admin": has_role(request.user, Role.ADMINISTRATOR),
        },
    )


@roles_required(Role.ADMINISTRATOR, Role.OFFICER)
@require_POST
def signup_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    signup = get_object_or_404(SignUp, pk=pk)
    bound = _signup_forms(signup, request.POST, action)
    actor = request.user
    try:
        if action == "approve":
            services.signup_approve(signup=signup, actor=actor, site_url=_site_url(request))
            messages.success(request, _("Approved; a set-password link has been emailed."))
        elif action == "withdraw":
            services.signup_withdraw(signup=signup, actor=actor)
            messages.success(request, _("Recorded as withdrawn."))
        elif action == "erase":
            services.signup_erase(signup=signup, actor=actor)
            messages.success(request, _("Personal data erased; an anonymised record remains."))
        elif action in bound:
            form = bound[action]
            if not form.is_valid():
                raise ValidationError(
                    [
                        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                        for f, e in form.errors.items()
                    ]
                )
            data = form.cleaned_data
            if action == "reject":
                services.signup_reject(signup=signup, reason=data["reason"], actor=actor)
                messages.success(request, _("Sign-up rejected."))
            elif action == "merge":
                services.signup_merge(duplicate=signup, into=data["into"], actor=actor)
                messages.success(request, _("Merged."))
                return redirect(data["into"].get_absolute_url())
            else:
                services.nomination_add(
                    selection_round=data["round"],
                    signup=signup,
                    nominated_by=data["nominated_by"],
                    supporting_statement=data["supporting_statement"],
                    actor=actor,
                )
                messages.success(
                    request,
                    _("Put forward as a nomination in %(round)s.") % {"round": data["round"]},
                )
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(signup.get_absolute_url())


# --- Selection rounds ---------------------------------------------------------------------


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
            "representatives/email/letter.txt", services.round_letter_context(selection_round)
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
    response = HttpResponse(
        services.round_letter_pdf(selection_round), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="representative-letter-{pk}.pdf"'
    return response


# --- Appointments -------------------------------------------------------------------------


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


# --- Code of Conduct ----------------------------------------------------------------------


def _my_partnerships(request: HttpRequest) -> Any:
    from partnerships.models import Partnership

    return Partnership.objects.filter(
        appointments__person__user=request.user,
        appointments__status__in=Appointment.CURRENT,
    ).distinct()


@signed_in
@GET_POST
def conduct_current(request: HttpRequest) -> HttpResponse:
    """Read the current version; a representative signs it here."""
    version = selectors.current_conduct_version()
    if version is None:
        raise Http404
    can_sign = has_role(request.user, Role.REPRESENTATIVE) and not request.user.is_superuser
    form = None
    if can_sign:
        form = forms.SignForm(
            request.POST or None,
            partnerships=_my_partnerships(request),
            initial={"version": version.pk},
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            signed_version = CodeOfConductVersion.objects.filter(
                pk=form.cleaned_data["version"]
            ).first()
            try:
                if signed_version is None:
                    raise ValidationError(_("This version of the code does not exist."))
                signature = services.conduct_sign(
                    version=signed_version,
                    partnership=form.cleaned_data["partnership"],
                    typed_name=form.cleaned_data["typed_name"],
                    actor=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Thank you: you have signed the Code of Conduct."))
                return redirect(signature.get_absolute_url())
    person = person_of(request.user)
    return render(
        request,
        "representatives/conduct_current.html",
        {
            "version": version,
            "form": form,
            "signatures": selectors.signatures_for_person(person) if person else [],
        },
    )


@roles_required(Role.OFFICER, Role.ADMINISTRATOR)
@GET_POST
def conduct_version_new(request: HttpRequest) -> HttpResponse:
    current = selectors.current_conduct_version()
    form = forms.ConductVersionForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conduct_version_publish(
                actor=request.user, code=current.code if current else None, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("New version published: everyone is asked to sign again."))
            return redirect("representatives:conduct_signatures")
    return _form_page(
        request,
        form=form,
        title=_("Publish a new version of the Code of Conduct"),
        intro=_("Every current representative will be asked to sign the new version."),
        cancel_url=reverse("representatives:conduct_signatures"),
    )


@roles_required(Role.OFFICER)
@require_GET
def conduct_signatures(request: HttpRequest) -> HttpResponse:
    version = selectors.current_conduct_version()
    signatures = (
        Signature.objects.filter(version=version).select_related("person", "partnership")
        if version
        else []
    )
    return render(
        request,
        "representatives/conduct_signatures.html",
        {
            "version": version,
            "unsigned": selectors.unsigned_appointments(),
            "signatures": signatures,
            "versions": CodeOfConductVersion.objects.all(),
        },
    )


def _signature_for(request: HttpRequest, pk: int) -> Signature:
    signature = get_object_or_404(
        Signature.objects.select_related("person", "version", "partnership"), pk=pk
    )
    _owned_or_404(request, "representatives.view_own_signature", signature)
    return signature


@signed_in
@require_GET
def signature_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk)
    return render(request, "representatives/signature_detail.html", {"signature": signature})


@signed_in
@require_GET
def signature_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    signature = _signature_for(request, pk)
    pdf = render_pdf(
        "representatives/pdf/signature.html",
        {
            "signature": signature,
            "title": _("Third Sector Representatives Code of Conduct and Agreement"),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="code-of-conduct-signed-{pk}.pdf"'
    return response


# --- Declarations of interest -------------------------------------------------------------


@roles_required(Role.REPRESENTATIVE)
@GET_POST
def declaration_new(request: HttpRequest) -> HttpResponse:
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your declaration of interest is recorded."))
            return redirect("representatives:mine")
    return _form_page(
        request,
        form=form,
        title=_("Declare an interest"),
        intro=_(
            "Where there is a conflict between your representative role and the remit of your "
            "organisation or group, declare it so that it is dealt with openly."
        ),
        cancel_url=reverse("representatives:mine"),
    )


@roles_required(Role.REPRESENTATIVE)
@GET_POST
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(Declaration.objects.select_related("person"), pk=pk)
    _owned_or_404(request, "representatives.change_own_declaration", declaration)
    form = forms.DeclarationForm(request.POST or None, instance=Declaration.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_update(
                declaration=declaration, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Declaration updated."))
            return redirect("representatives:mine")
    return _form_page(
        request,
        form=form,
        title=_("Edit your declaration"),
        cancel_url=reverse("representatives:mine"),
    )


@roles_required(Role.OFFICER)
@require_GET
def declaration_register(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "representatives/declaration_register.html",
        {"declarations": selectors.declaration_register()},
    )


@roles_required(Role.OFFICER)
@require_GET
def declaration_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="declarations-of-interest.csv"'
    rows: list[list[str]] = [
        [
            _("Person"),
            _("Organisation"),
            _("Kind"),
            _("Partnership"),
            _("Meeting date"),
            _("Item"),
            _("Interest"),
            _("How dealt with"),
            _("Declared at"),
        ]
    ]
    for declaration in selectors.declaration_register():
        row = [
            declaration.person.full_name,
            str(declaration.person.organisation or ""),
            declaration.get_kind_display(),
            str(declaration.partnership or ""),
            declaration.meeting_date.isoformat() if declaration.meeting_date else "",
            declaration.item,
            declaration.interest,
            declaration.action_taken,
            timezone.localtime(declaration.declared_at).strftime("%Y-%m-%d %H:%M"),
        ]
        rows.append(row)
    write_csv_rows(response, rows)
    return response


# --- Feedback to the sector ---------------------------------------------------------------


def _my_appointments(request: HttpRequest) -> Any:
    return Appointment.objects.filter(
        person__user=request.user, status__in=Appointment.CURRENT
    ).select_related("place__partnership")


@roles_required(Role.REPRESENTATIVE)
@GET_POST
def feedback_new(request: HttpRequest) -> HttpResponse:
    form = forms.FeedbackForm(request.POST or None, appointments=_my_appointments(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.feedback_file(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Report filed; VAMT will publish it to the sector."))
            return redirect(report.get_absolute_url())
    return _form_page(
        request,
        form=form,
        title=_("Report back to the sector"),
        cancel_url=reverse("representatives:mine"),
    )


def _feedback_for(request: HttpRequest, pk: int, perm: str) -> FeedbackReport:
    report = get_object_or_404(
        FeedbackReport.objects.select_related(
            "appointment__person", "appointment__partnership", "published_to"
        ),
        pk=pk,
    )
    _owned_or_404(request, perm, report)
    return report


@signed_in
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _feedback_for(request, pk, "representatives.view_own_feedback")
    return render(
        request,
        "representatives/feedback_detail.html",
        {
            "report": report,
            "publish_form": forms.PublishForm(
                initial={"forum": report.appointment.mandate_body_id}
            ),
            "is_officer": has_role(request.user, Role.OFFICER),
            "is_owner": report.appointment.person.user_id == request.user.pk,
        },
    )


@roles_required(Role.REPRESENTATIVE)
@GET_POST
def feedback_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _feedback_for(request, pk, "representatives.change_own_feedback")
    form = forms.FeedbackForm(
        request.POST or None,
        instance=FeedbackReport.objects.get(pk=pk),
        appointments=_my_appointments(request),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "appointment"}
        try:
            services.feedback_update(report=report, actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(report.get_absolute_url())
    return _form_page(
        request, form=form, title=_("Edit your report"), cancel_url=report.get_absolute_url()
    )


@roles_required(Role.OFFICER)
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "representatives/feedback_list.html",
        {
            "reports": selectors.feedback_list(),
            "issues": SectorIssue.objects.select_related(
                "appointment__person", "appointment__partnership", "raised_through"
            ),
        },
    )


@roles_required(Role.OFFICER)
@require_POST
def feedback_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(FeedbackReport, pk=pk)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_publish(
                report=report, forum=form.cleaned_data["forum"], actor=request.user
            )
            messages.success(request, _("Published to the sector."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Choose the forum or network to publish to."))
    return redirect(report.get_absolute_url())


@roles_required(Role.OFFICER)
@GET_POST
def issue_new(request: HttpRequest) -> HttpResponse:
    form = forms.SectorIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sector_issue_queue(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Issue queued for the representative."))
            return redirect("representatives:feedback_list")
    return _form_page(
        request,
        form=form,
        title=_("Queue an issue from the sector"),
        cancel_url=reverse("representatives:feedback_list"),
    )


@roles_required(Role.REPRESENTATIVE)
@require_POST
def issue_take(request: HttpRequest, pk: int) -> HttpResponse:
    sector_issue = get_object_or_404(
        SectorIssue.objects.select_related("appointment__person"), pk=pk
    )
    _owned_or_404(request, "representatives.take_sector_issue", sector_issue)
    form = forms.TakeIssueForm(request.POST)
    form.is_valid()
    try:
        services.sector_issue_take(
            sector_issue=sector_issue,
            outcome=form.cleaned_data.get("outcome", ""),
            actor=request.user,
        )
        messages.success(request, _("Recorded: taken to the partnership."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("representatives:mine")


# --- The representative's own page and the report -----------------------------------------


@roles_required(Role.REPRESENTATIVE)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    appointments = (
        Appointment.objects.filter(selectors.appointments_visible_to(request.user))
        .select_related("person", "place__partnership", "deputy_of__person", "mandate_body")
        .distinct()
        if person
        else Appointment.objects.none()
    )
    return render(
        request,
        "representatives/mine.html",
        {
            "person": person,
            "appointments": appointments,
            "unsigned": [
                a for a in selectors.unsigned_appointments() if person and a.person_id == person.pk
            ],
            "version": selectors.current_conduct_version(),
            "signatures": selectors.signatures_for_person(person) if person else [],
            "declarations": Declaration.objects.filter(person=person).select_related("partnership")
            if person
            else [],
            "reports": FeedbackReport.objects.filter(appointment__person=person).select_related(
                "appointment__partnership"
            )
            if person
            else [],
            "issues": selectors.issues_for_person(person) if person else [],
        },
    )


@roles_required(Role.OFFICER, Role.BOARD)
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "representatives/report.html",
        {"report": selectors.representatives_report(), "title": _("Representatives' report")},
    )


@roles_required(Role.OFFICER, Role.BOARD)
@GET_POST
def report_pdf(request: HttpRequest) -> HttpResponse:
    """Made in the background: offered on GET, queued on POST; the status page then offers
    the PDF when the worker has made it."""
    from compact.platform.background import offer_or_start
    from representatives.papers import REPORT_PDF

    return offer_or_start(request, kind=REPORT_PDF)
