"""Disputes pages. Each one starts from ``disputes_visible_to(request.user)``; anyone who may
not see a dispute, or may not take an action on it, gets a 404 so its existence stays private."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.models import Person
from compact.platform.access import Role, roles_required, signed_in
from compact.platform.background import offer_or_start
from compact.platform.forms import apply_validation_error
from compact.platform.pdf.languages import paper_language_or_404
from compact.platform.spreadsheets import write_csv_rows
from compact.platform.uploads import upload_response
from compact.selectors import person_of
from disputes import permissions, procedure, selectors, services
from disputes.forms import (
    ContactForm,
    DocumentForm,
    InterestForm,
    MoveForm,
    NoteForm,
    PanelForm,
    RaiseConcernForm,
    SessionForm,
    StageRecordForm,
)
from disputes.models import Dispute
from disputes.papers import MONITORING_PDF
from disputes.procedure import Actor, Stage

LIST_PAGE_SIZE = 50


def _dispute_or_404(request: HttpRequest, pk: int) -> Dispute:
    try:
        return selectors.dispute_for_user(user=request.user, pk=pk)
    except Dispute.DoesNotExist as exc:
        raise Http404 from exc


def _allowed_or_404(predicate: Any, request: HttpRequest, dispute: Any) -> None:
    if not predicate.test(request.user, dispute):
        raise Http404


def _moves_for(user: Any, dispute: Dispute) -> list[procedure.Transition]:
    return [
        move
        for move in procedure.transitions_from(dispute.stage)
        if permissions.can_make_transition(user, dispute, move)
    ]


def _detail_context(request: HttpRequest, dispute: Dispute, **forms: Any) -> dict[str, Any]:
    user = request.user
    current = selectors.current_stage_record(dispute)
    officer = permissions.can_manage_dispute.test(user, dispute)
    read_notes = permissions.can_read_confidential_notes.test(user, dispute)
    context: dict[str, Any] = {
        "dispute": dispute,
        "current": current,
        "overdue": bool(current and current.is_overdue()),
        "moves": _moves_for(user, dispute),
        "is_officer": officer,
        "can_record": permissions.can_record_stage.test(user, dispute),
        "can_add_document": permissions.can_add_document.test(user, dispute),
        "read_notes": read_notes,
        "notes": list(selectors.confidential_notes(dispute=dispute)) if read_notes else [],
        "contacts_by_party": _contacts_by_party(dispute),
    }
    if read_notes:
        context["note_form"] = forms.get("note_form") or NoteForm()
    if context["can_add_document"]:
        context["document_form"] = forms.get("document_form") or DocumentForm()
    if permissions.can_declare_interest.test(user, dispute):
        context["interest_form"] = forms.get("interest_form") or InterestForm(
            people=_interest_people(user, dispute)
        )
    if officer and current and current.stage == Stage.MEDIATION:
        context["session_form"] = forms.get("session_form") or SessionForm(
            initial={"held_on": timezone.localdate()}
        )
    return context


def _interest_people(user: Any, dispute: Dispute) -> Any:
    """Officers record anyone's interest; a panel member declares their own."""
    people = Person.objects.select_related("organisation").order_by("full_name")
    if permissions.is_officer.test(user):
        return people
    return people.filter(user=user)


def _contacts_by_party(dispute: Dispute) -> list[tuple[Any, list[Any]]]:
    contacts = list(dispute.contacts.all())
    return [
        (party, [c for c in contacts if c.party_id == party.pk]) for party in dispute.parties.all()
    ]


def _render_detail(
    request: HttpRequest, dispute: Dispute, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "disputes/dispute_detail.html",
        _detail_context(request, dispute, **forms),
        status=status,
    )


@signed_in
@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    """The disputes this user may see: their own concerns, or all of them for officers."""
    page = Paginator(selectors.dispute_list(user=request.user), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "disputes/dispute_list.html",
        {
            "page": page,
            "disputes": page.object_list,
            "today": timezone.localdate(),
            "is_officer": permissions.is_officer.test(request.user),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def dispute_raise(request: HttpRequest) -> HttpResponse:
    """Any signed-in partner user raises a concern about a breach of a commitment."""
    raiser = person_of(request.user)
    if raiser is None or raiser.organisation_id is None:
        return render(request, "disputes/raise_unlinked.html")
    form = RaiseConcernForm(request.POST or None, request.FILES or None, raiser=raiser)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.dispute_raise(
                raised_by=raiser,
                subject=form.cleaned_data["subject"],
                concerns=list(form.cleaned_data["concerns"]),
                contacts=list(form.cleaned_data["contacts"]),
                commitment=form.cleaned_data["commitment"],
                what_happened=form.cleaned_data["what_happened"],
                outcome_sought=form.cleaned_data["outcome_sought"],
                documents=form.cleaned_data["documents"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your concern has been recorded as %(ref)s.") % {"ref": dispute.reference},
            )
            return redirect(dispute)
    return render(request, "disputes/dispute_raise.html", {"form": form, "raiser": raiser})


@signed_in
@require_GET
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _dispute_or_404(request, pk))


@signed_in
@require_http_methods(["GET", "POST"])
def dispute_move(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """Move a dispute to the next stage the procedure allows."""
    dispute = _dispute_or_404(request, pk)
    move = procedure.transition(dispute.stage, stage)
    if move is None or not permissions.can_make_transition(request.user, dispute, move):
        raise Http404
    roles = permissions.dispute_roles(request.user, dispute)
    form = MoveForm(
        request.POST or None,
        dispute=dispute,
        to_stage=stage,
        withdraw_only=not (roles & {Actor.OFFICER, Actor.PANEL}),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dispute_move(
                dispute=dispute,
                to_stage=stage,
                reason=data["reason"],
                on=data["on"],
                closure=data.get("closure", ""),
                outcome=data.get("outcome", ""),
                agreed_actions=data.get("agreed_actions", ""),
                lessons_learned=data.get("lessons_learned", ""),
                mediator_name=data.get("mediator_name", ""),
                panel=list(data.get("panel") or []),
                senior_contact=data.get("senior_contact"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(ref)s is now at: %(stage)s.")
                % {"ref": dispute.reference, "stage": Stage(stage).label},
            )
            return redirect(dispute)
    return render(
        request,
        "disputes/dispute_move.html",
        {"dispute": dispute, "move": move, "form": form, "to_stage": Stage(stage)},
    )


@signed_in
@require_http_methods(["GET", "POST"])
def stage_record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the record of the current stage (notes, mediator, agreement, senior contact)."""
    dispute = _dispute_or_404(request, pk)
    _allowed_or_404(permissions.can_record_stage, request, dispute)
    record = selectors.current_stage_record(dispute)
    if record is None:
        raise Http404
    form = StageRecordForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stage_record_update(
                record=record,
                notes=data["notes"],
                mediator_name=data.get("mediator_name", ""),
                agreement=data.get("agreement", ""),
                senior_contact=data.get("senior_contact"),
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The stage record has been saved."))
            return redirect(dispute)
    return render(
        request,
        "disputes/stage_record_form.html",
        {"dispute": dispute, "record": record, "form": form},
    )


@signed_in
@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Appoint or change the scrutiny panel."""
    dispute = _dispute_or_404(request, pk)
    _allowed_or_404(permissions.can_manage_dispute, request, dispute)
    form = PanelForm(
        request.POST or None, initial={"panel": [m.person_id for m in dispute.panel.all()]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_panel_assign(
                dispute=dispute,
                people=list(form.cleaned_data["panel"]),
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The panel has been appointed."))
            return redirect(dispute)
    return render(request, "disputes/panel_form.html", {"dispute": dispute, "form": form})


@signed_in
@require_http_methods(["GET", "POST"])
def contacts_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Officers add or remove the parties' named contacts (who may see the dispute)."""
    dispute = _dispute_or_404(request, pk)
    _allowed_or_404(permissions.can_manage_dispute, request, dispute)
    form = ContactForm(request.POST or None, dispute=dispute)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                contact = next(
                    (c for c in dispute.contacts.all() if str(c.pk) == request.POST["remove"]),
                    None,
                )
                if contact is None:
                    raise Http404
                services.dispute_contact_remove(contact=contact, actor=request.user)
                messages.success(
                    request, _("%(person)s is no longer a named contact.") % {"person": contact}
                )
                return redirect("disputes:contacts", pk=dispute.pk)
            if form.is_valid():
                services.dispute_contact_add(
                    dispute=dispute, person=form.cleaned_data["person"], actor=request.user
                )
                messages.success(request, _("The named contact has been added."))
                return redirect("disputes:contacts", pk=dispute.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
    return render(
        request,
        "disputes/contacts_form.html",
        {"dispute": dispute, "form": form, "contacts_by_party": _contacts_by_party(dispute)},
        status=400 if form.errors else 200,
    )


@signed_in
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute_or_404(request, pk)
    _allowed_or_404(permissions.can_manage_dispute, request, dispute)
    form = SessionForm(request.POST)
    record = selectors.current_stage_record(dispute)
    if form.is_valid() and record is not None:
        try:
            services.mediation_session_add(
                record=record,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The mediation session has been recorded."))
            return redirect(dispute)
    elif record is None:
        form.add_error(None, _("This dispute has no current stage."))
    return _render_detail(request, dispute, status=400, session_form=form)


@signed_in
@require_POST
def interest_add(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute_or_404(request, pk)
    _allowed_or_404(permissions.can_declare_interest, request, dispute)
    form = InterestForm(request.POST, people=_interest_people(request.user, dispute))
    if form.is_valid():
        try:
            services.interest_declare(
                dispute=dispute,
                person=form.cleaned_data["person"],
                interest=form.cleaned_data["interest"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The declared interest has been recorded."))
            if not selectors.disputes_visible_to(request.user).filter(pk=dispute.pk).exists():
                # A panel member who declares an interest leaves the panel, and the dispute.
                return redirect("disputes:list")
            return redirect(dispute)
    return _render_detail(request, dispute, status=400, interest_form=form)


@signed_in
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute_or_404(request, pk)
    _allowed_or_404(permissions.can_write_confidential_note, request, dispute)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.confidential_note_add(
                dispute=dispute, text=form.cleaned_data["text"], actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The confidential note has been saved."))
            return redirect(dispute)
    return _render_detail(request, dispute, status=400, note_form=form)


@signed_in
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute_or_404(request, pk)
    _allowed_or_404(permissions.can_add_document, request, dispute)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                dispute=dispute, uploads=form.cleaned_data["documents"], actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The documents have been attached."))
            return redirect(dispute)
    return _render_detail(request, dispute, status=400, document_form=form)


@signed_in
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A supporting document, for those who may see the dispute only."""
    dispute = _dispute_or_404(request, pk)
    document = next((d for d in dispute.documents.all() if d.pk == document_pk), None)
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return upload_response(
        handle, filename=document.original_name, content_type=document.content_type
    )


# --- The Board's monitoring report ---------------------------------------------------------


@roles_required(Role.BOARD, Role.OFFICER)
@require_GET
def monitoring_report(request: HttpRequest) -> HttpResponse:
    """Anonymised figures: counts, no names, no free text."""
    return render(
        request,
        "disputes/monitoring_report.html",
        {"report": selectors.monitoring_report()},
    )


@roles_required(Role.BOARD, Role.OFFICER)
@require_GET
def monitoring_report_csv(request: HttpRequest) -> HttpResponse:
    report = selectors.monitoring_report()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="disputes-monitoring-{report.generated_on:%Y-%m-%d}.csv"'
    )
    write_csv_rows(response, report.csv_rows())
    return response


@roles_required(Role.BOARD, Role.OFFICER)
@require_http_methods(["GET", "POST"])
def monitoring_report_pdf(request: HttpRequest) -> HttpResponse:
    """Made in the background: offered on GET, queued on POST; the status page then offers
    the PDF when the worker has made it."""
    language = paper_language_or_404(request) if request.GET.get("language") else ""
    return offer_or_start(request, kind=MONITORING_PDF, key=language)
