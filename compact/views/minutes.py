"""Minutes pages: an item's discussion, decisions, the minutes' moves (circulate, approve,
sign), amendments to frozen minutes, the decisions register and its CSV, and a body's standard
agenda items. Views parse, call one service, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact import minutes_procedure as procedure
from compact.forms.minutes import (
    AmendmentForm,
    DecisionFilterForm,
    DecisionForm,
    ItemMinutesForm,
    MinutesMoveForm,
    StandardItemsForm,
)
from compact.models import AgendaItem, Body, BodyAgendaSettings, Decision, ItemMinutes, Meeting
from compact.platform.access import Role, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.language import text_of
from compact.platform.locking import EditConflict, conflict_page
from compact.platform.spreadsheets import write_csv_rows
from compact.selectors import meetings as meeting_selectors
from compact.selectors import minutes as selectors
from compact.services import minutes as services
from compact.services.meetings import standard_items_set

OFFICER = roles_required(Role.OFFICER)


def _minutes_url(meeting_id: int) -> str:
    return reverse("compact:meeting_detail", kwargs={"pk": meeting_id}) + "#minutes"


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _form_page(
    request: HttpRequest, form: Any, *, title: str, meeting: Meeting | None, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "compact/meetings/form.html",
        {"form": form, "title": title, "meeting": meeting, **extra},
    )


@OFFICER
@require_http_methods(["GET", "POST"])
def item_minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the discussion of one agenda item."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    meeting = item.meeting
    entry = ItemMinutes.objects.filter(item=item).first()
    form = ItemMinutesForm(
        request.POST or None,
        initial={
            "discussion": entry.discussion if entry else "",
            "discussion_cy": entry.discussion_cy if entry else "",
            "version": entry.version if entry else 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_minutes_save(
                item=item,
                discussion=form.cleaned_data["discussion"],
                discussion_cy=form.cleaned_data["discussion_cy"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except EditConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form_class=ItemMinutesForm,
                action=reverse("compact:item_minutes_edit", kwargs={"pk": pk}),
                cancel_url=_minutes_url(meeting.pk),
                extra_context={"meeting": meeting},
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Minutes of %(item)s saved.") % {"item": text_of(item, "title")}
            )
            return redirect(_minutes_url(meeting.pk))
    return _form_page(
        request,
        form,
        title=_("Minutes of %(item)s") % {"item": text_of(item, "title")},
        meeting=meeting,
        item=item,
    )


@OFFICER
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    initial = {}
    if str(request.GET.get("item", "")).isdigit():
        initial["item"] = meeting.items.filter(pk=int(request.GET["item"])).first()
    form = DecisionForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                meeting=meeting,
                item=form.cleaned_data["item"],
                text=form.cleaned_data["text"],
                text_cy=form.cleaned_data["text_cy"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if decision.number:
                messages.success(
                    request, _("Decision %(number)s recorded.") % {"number": decision.number}
                )
            else:
                messages.success(
                    request, _("Decision recorded; it is numbered when the minutes circulate.")
                )
            return redirect(_minutes_url(meeting.pk))
    return _form_page(request, form, title=_("Record a decision"), meeting=meeting)


@OFFICER
@require_POST
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("minutes"), pk=pk)
    try:
        services.decision_delete(decision=decision, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Decision removed from the draft minutes."))
    return redirect(_minutes_url(decision.minutes.meeting_id))


@OFFICER
@require_POST
def minutes_move(request: HttpRequest, pk: int) -> HttpResponse:
    """One move of the minutes' procedure (the buttons come from its table)."""
    meeting = get_object_or_404(Meeting, pk=pk)
    minutes = meeting_selectors.minutes_of(meeting)
    if minutes is None:
        messages.error(request, _("There are no minutes yet."))
        return redirect(_minutes_url(pk))
    form = MinutesMoveForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose a later meeting of the same body."))
        return redirect(_minutes_url(pk))
    target = form.cleaned_data["target"]
    try:
        services.minutes_move(
            minutes=minutes,
            target=target,
            at_meeting=form.cleaned_data["at_meeting"],
            actor=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        done = {
            procedure.MinutesStatus.CIRCULATED: _("Minutes circulated; decisions are numbered."),
            procedure.MinutesStatus.DRAFT: _("Minutes withdrawn for redrafting."),
            procedure.MinutesStatus.APPROVED: _("Minutes approved; they are now frozen."),
            procedure.MinutesStatus.SIGNED: _("The chair's signature is recorded."),
        }
        messages.success(request, done.get(target, _("Saved.")))
    return redirect(_minutes_url(pk))


@OFFICER
@require_http_methods(["GET", "POST"])
def minutes_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an amendment to approved minutes."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    minutes = meeting_selectors.minutes_of(meeting)
    if minutes is None:
        raise Http404
    form = AmendmentForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_amend(minutes=minutes, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Amendment recorded."))
            return redirect(_minutes_url(pk))
    return _form_page(request, form, title=_("Amend the approved minutes"), meeting=meeting)


# --- The decisions register ---------------------------------------------------------------


def _register(request: HttpRequest) -> tuple[DecisionFilterForm, Any]:
    bodies = meeting_selectors.visible_bodies(request.user)
    form = DecisionFilterForm(
        request.GET or None, bodies=bodies, years=selectors.decision_years(user=request.user)
    )
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "body": form.cleaned_data["body"],
            "year": form.cleaned_data["year"],
            "text": form.cleaned_data["q"],
        }
    return form, selectors.decisions_register(user=request.user, **filters)


@signed_in
@require_GET
def decision_register(request: HttpRequest) -> HttpResponse:
    """Every decision of the bodies the reader may see, with its number and meeting."""
    form, decisions = _register(request)
    return render(
        request,
        "compact/meetings/decisions.html",
        {"form": form, "decisions": list(decisions[:500]), "query": request.GET.urlencode()},
    )


@signed_in
@require_GET
def decision_register_csv(request: HttpRequest) -> HttpResponse:
    _form, decisions = _register(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions.csv"'
    header = [_("Number"), _("Date"), _("Body"), _("Item"), _("Decision"), _("Minutes")]
    rows = (
        [
            decision.number,
            decision.minutes.meeting.date.isoformat(),
            decision.minutes.meeting.body.name,
            text_of(decision.item, "title") if decision.item else "",
            text_of(decision, "text"),
            decision.minutes.get_status_display(),
        ]
        for decision in decisions
    )
    write_csv_rows(response, [header, *rows])
    return response


# --- Standard agenda items ----------------------------------------------------------------


@OFFICER
@require_http_methods(["GET", "POST"])
def standard_items_edit(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    settings_row = BodyAgendaSettings.objects.filter(body=body).first()
    form = StandardItemsForm(
        request.POST or None,
        initial={"standard_items": settings_row.standard_items if settings_row else []},
    )
    if request.method == "POST" and form.is_valid():
        standard_items_set(body=body, kinds=form.cleaned_data["standard_items"], actor=request.user)
        messages.success(request, _("Standard agenda items saved."))
        return redirect(body)
    return _form_page(
        request,
        form,
        title=_("Standard agenda items: %(body)s") % {"body": body.name},
        meeting=None,
    )
