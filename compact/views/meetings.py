"""Meeting pages: the programme, a meeting with its agenda, papers, attendance, minutes and
actions, and the forms officers use to prepare them. Views parse, call one service, redirect."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact import minutes_procedure as procedure
from compact.forms.meetings import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    GeneratedPaperForm,
    MeetingDeclarationForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    PackLanguageForm,
    RotationRuleForm,
    UploadPaperForm,
    WrittenPaperForm,
)
from compact.models import (
    Action,
    AgendaItem,
    Body,
    Meeting,
    PackBuildRequest,
    Paper,
    RotationRule,
)
from compact.papers.boardpack import paper_pdf
from compact.permissions import can_read_paper, can_view_meeting, can_view_minutes
from compact.platform import registry
from compact.platform.access import Role, has_role, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.language import text_of
from compact.platform.locking import EditConflict, conflict_page
from compact.platform.pdf.languages import paper_language_or_404
from compact.platform.uploads import PDF, upload_response
from compact.selectors import meetings as selectors
from compact.selectors import minutes as minutes_selectors
from compact.selectors.attendance import attendance_context
from compact.services import meetings as services

OFFICER = roles_required(Role.OFFICER)


def _errors(request: HttpRequest, error: ValidationError, form: Any = None) -> None:
    """Show a service's refusal on the form if there is one, else as a message."""
    if form is not None:
        apply_validation_error(form, error)
        return
    for text in error.messages:
        messages.error(request, text)


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def _form_page(
    request: HttpRequest, form: Any, *, title: str, meeting: Meeting | None, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "compact/meetings/form.html",
        {"form": form, "title": title, "meeting": meeting, **extra},
    )


# --- Programme and meeting ----------------------------------------------------------------


@signed_in
@require_GET
def meeting_programme(request: HttpRequest) -> HttpResponse:
    """Each body's meetings with warnings where a year has too few."""
    bodies = selectors.visible_bodies(request.user)
    return render(
        request,
        "compact/meetings/programme.html",
        {
            "programme": selectors.programme(bodies=bodies),
            "can_prepare": has_role(request.user, Role.OFFICER),
        },
    )


@OFFICER
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("body"):
        initial["body"] = Body.objects.filter(slug=request.GET["body"]).first()
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Meeting programmed; standing items are on its agenda."))
            return redirect(meeting)
    return _form_page(request, form, title=_("Programme a meeting"), meeting=None)


@signed_in
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_detail(pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    if not can_view_meeting(request.user, meeting):
        raise Http404
    can_prepare = has_role(request.user, Role.OFFICER)
    minutes = selectors.minutes_of(meeting)
    show_minutes = minutes is not None and can_view_minutes(request.user, minutes)
    items = list(meeting.items.all())
    actions = list(meeting.actions.all())
    carried_forward = selectors.carried_forward_actions(meeting)
    links = minutes_selectors.action_links(actions + carried_forward, user=request.user)
    for action in actions + carried_forward:
        action.linked = links.get(action.pk, [])  # type: ignore[attr-defined]
    previous = selectors.previous_meeting(meeting)
    packs = list(meeting.packs.all())
    context = {
        "meeting": meeting,
        "items": items,
        "unreadable_papers": {
            paper.pk
            for item in meeting.items.all()
            for paper in item.papers.all()
            if not can_read_paper(request.user, paper)
        },
        "can_prepare": can_prepare,
        "minutes": minutes,
        "show_minutes": show_minutes,
        "minutes_view": minutes_selectors.minutes_view(minutes, items, actions)
        if show_minutes
        else None,
        "previous": previous,
        "carried_forward": carried_forward,
        "packs": packs,
        "circulations": [c for pack in packs for c in pack.circulations.all()],
        # Waiting for the worker, or final but not yet picked up: members see it coming.
        "pack_preparing": PackBuildRequest.objects.filter(meeting=meeting).exists()
        or (meeting.agenda_final_at is not None and not packs),
        **attendance_context(meeting, request.user),
    }
    if can_prepare:
        context.update(
            attendance_form=AttendanceForm(prefix="attendance"),
            pack_language_form=PackLanguageForm(),
            declaration_form=MeetingDeclarationForm(meeting=meeting, prefix="declaration"),
            next_meeting=services.next_meeting(meeting),
            minutes_moves=procedure.transitions_from(minutes.status) if minutes else [],
            meeting_panels=registry.meeting_panels(request, meeting),
        )
    return render(request, "compact/meetings/meeting_detail.html", context)


@OFFICER
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingEditForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=Meeting.objects.get(pk=pk),
                actor=request.user,
                **{name: form.cleaned_data[name] for name in MeetingEditForm.Meta.fields},
            )
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Meeting updated."))
            return redirect("compact:meeting_detail", pk=pk)
    return _form_page(request, form, title=_("Edit meeting"), meeting=meeting)


# --- Agenda -------------------------------------------------------------------------------


@OFFICER
@require_http_methods(["GET", "POST"])
def agenda_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Item added to the agenda."))
        return redirect(meeting)
    return _form_page(request, form, title=_("Add an agenda item"), meeting=meeting)


@OFFICER
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_update(
            item=AgendaItem.objects.get(pk=pk), actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Agenda item saved."))
        return redirect(item.meeting)
    return _form_page(request, form, title=_("Edit agenda item"), meeting=item.meeting)


@OFFICER
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    direction = request.POST.get("direction", "")
    try:
        services.agenda_item_move(item=item, direction=direction, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect(
        reverse("compact:meeting_detail", kwargs={"pk": item.meeting_id}) + f"#item-{item.pk}"
    )


@OFFICER
@require_POST
def agenda_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the agenda final; the pack is then built for the members without anyone asking."""
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.agenda_finalise(meeting=meeting, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _(
                "The agenda is final. The board pack is being prepared for the members and "
                "will be rebuilt if the agenda changes, until it is circulated."
            ),
        )
    return redirect(reverse("compact:meeting_detail", kwargs={"pk": pk}) + "#pack")


@OFFICER
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=pk)
    meeting_id = item.meeting_id
    try:
        services.agenda_item_delete(item=item, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Item removed from the agenda."))
    return redirect("compact:meeting_detail", pk=meeting_id)


# --- Papers -------------------------------------------------------------------------------


@OFFICER
@require_http_methods(["GET", "POST"])
def paper_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add an uploaded, written or generated paper to an item."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    form_class = {
        "upload": UploadPaperForm,
        "write": WrittenPaperForm,
        "generated": GeneratedPaperForm,
    }.get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "upload":
                services.paper_upload(
                    item=item,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    title_cy=form.cleaned_data["title_cy"],
                    actor=request.user,
                )
            elif kind == "write":
                services.paper_write(item=item, actor=request.user, **form.cleaned_data)
            else:
                key, value = form.provider_and_value()
                services.paper_generate(
                    item=item, provider_key=key, value=value, actor=request.user
                )
        except ValidationError as error:
            # The refused file must not be half-saved: roll back this request's writes.
            transaction.set_rollback(True)
            _errors(request, error, form)
        else:
            messages.success(
                request, _("Paper added to %(item)s.") % {"item": text_of(item, "title")}
            )
            return redirect(
                reverse("compact:meeting_detail", kwargs={"pk": item.meeting_id})
                + f"#item-{item.pk}"
            )
    titles = {
        "upload": _("Upload a PDF paper"),
        "write": _("Write a paper"),
        "generated": _("Add a generated report"),
    }
    return _form_page(
        request,
        form,
        title=titles[kind],
        meeting=item.meeting,
        item=item,
        multipart=kind == "upload",
    )


@OFFICER
@require_http_methods(["GET", "POST"])
def paper_edit(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(
        Paper.objects.select_related("item__meeting__body"), pk=pk, kind=Paper.Kind.WRITTEN
    )
    form = WrittenPaperForm(
        request.POST or None,
        initial={
            "title": paper.title,
            "title_cy": paper.title_cy,
            "text": paper.text,
            "text_cy": paper.text_cy,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_update_text(paper=paper, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Paper saved."))
            return redirect(paper.item.meeting)
    return _form_page(
        request, form, title=_("Edit paper"), meeting=paper.item.meeting, item=paper.item
    )


@OFFICER
@require_POST
def paper_delete(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper.objects.select_related("item"), pk=pk)
    meeting_id = paper.item.meeting_id
    services.paper_delete(paper=paper, actor=request.user)
    messages.success(request, _("Paper removed."))
    return redirect("compact:meeting_detail", pk=meeting_id)


@signed_in
@require_GET
def paper_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper as PDF, for anyone who may see its meeting."""
    paper = get_object_or_404(Paper.objects.select_related("item__meeting__body"), pk=pk)
    meeting = paper.item.meeting
    if not can_view_meeting(request.user, meeting):
        raise Http404
    if not can_read_paper(request.user, paper):
        # The meeting is theirs to see, so the paper's existence is no secret: say no plainly.
        raise PermissionDenied(_("This report is only for the roles its own page allows."))
    problems: list[str] = []
    language = paper_language_or_404(request)  # ?language=cy, en or bilingual
    pdf, laid_out_by_us = paper_pdf(paper, meeting, problems, language=language)
    if not laid_out_by_us:  # someone's upload: saved, never opened in the browser's page
        return upload_response(
            io.BytesIO(pdf), filename=f"paper-{paper.pk}.pdf", content_type=PDF.content_type
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="paper-{paper.pk}.pdf"'
    return response


# --- At and after the meeting -------------------------------------------------------------


@OFFICER
@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AttendanceForm(request.POST, prefix="attendance")
    if form.is_valid():
        services.attendance_record(meeting=meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Attendance recorded."))
    else:
        messages.error(request, _("Choose a person and their attendance."))
    return redirect(reverse("compact:meeting_detail", kwargs={"pk": pk}) + "#attendance")


@OFFICER
@require_POST
def declaration_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingDeclarationForm(request.POST, meeting=meeting, prefix="declaration")
    if form.is_valid():
        services.declaration_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Declaration of interest recorded."))
    else:
        messages.error(request, _("Choose a person and describe the interest declared."))
    return redirect(reverse("compact:meeting_detail", kwargs={"pk": pk}) + "#declarations")


@OFFICER
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    minutes = selectors.minutes_of(meeting)
    if minutes is not None and minutes.is_approved and request.method == "GET":
        messages.error(request, _("These minutes are approved and frozen: they cannot be edited."))
        return redirect(meeting)
    form = MinutesForm(
        request.POST or None,
        initial={
            "text": minutes.text if minutes else "",
            "text_cy": minutes.text_cy if minutes else "",
            "version": minutes.version if minutes else 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(
                meeting=meeting,
                text=form.cleaned_data["text"],
                text_cy=form.cleaned_data["text_cy"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form_class=MinutesForm,
                action=reverse("compact:minutes_edit", kwargs={"pk": pk}),
                cancel_url=reverse("compact:meeting_detail", kwargs={"pk": pk}) + "#minutes",
                extra_context={"meeting": meeting},
            )
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Draft minutes saved."))
            return redirect(reverse("compact:meeting_detail", kwargs={"pk": pk}) + "#minutes")
    return _form_page(request, form, title=_("Minutes"), meeting=meeting)


@OFFICER
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.action_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Action recorded."))
        return redirect(reverse("compact:meeting_detail", kwargs={"pk": pk}) + "#actions")
    return _form_page(request, form, title=_("Record an action"), meeting=meeting)


@OFFICER
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk)
    try:
        services.action_complete(action=action, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Action marked done."))
    back = request.POST.get("meeting") or action.meeting_id
    if not str(back).isdigit():
        back = action.meeting_id
    return redirect(reverse("compact:meeting_detail", kwargs={"pk": int(back)}) + "#actions")


# --- Rotation -----------------------------------------------------------------------------


@OFFICER
@require_http_methods(["GET", "POST"])
def rotation_rule_edit(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    rule = RotationRule.objects.filter(body=body).first()
    form = RotationRuleForm(
        request.POST or None,
        initial={"rotate_after_months": rule.rotate_after_months if rule else 12},
    )
    if request.method == "POST" and form.is_valid():
        services.rotation_rule_set(body=body, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Rotation rule saved."))
        return redirect(body)
    return _form_page(
        request,
        form,
        title=_("Rotation of chair and secretariat: %(body)s") % {"body": body.name},
        meeting=None,
    )
