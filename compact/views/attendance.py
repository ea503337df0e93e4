"""Attendance pages: a member answers the meeting notice (on the meeting page or through the
link in the e-mail), the officer records who was present, and the yearly figures."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.forms.attendance import AnswerForm, RegisterForm
from compact.models import Meeting
from compact.permissions import can_view_meeting
from compact.platform.access import Role, public, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.spreadsheets import csv_text
from compact.selectors import attendance as selectors
from compact.selectors import person_of
from compact.services import attendance as services


def _back(meeting: Meeting) -> HttpResponse:
    return redirect(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk}) + "#attendance")


@signed_in
@require_POST
def attendance_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A member answers for themselves from the meeting page."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_view_meeting(request.user, meeting):
        raise Http404
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(meeting)
    try:
        services.attendance_answer(
            meeting=meeting, person=person, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Thank you: your answer is recorded."))
    return _back(meeting)


@public
@require_http_methods(["GET", "POST"])
def attendance_answer_link(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The link in the meeting notice: the signed token is the member's key, so no sign-in.
    Opening it shows the choices (mail scanners that follow links change nothing); one press
    answers. An expired, altered or someone else's link is refused and changes nothing."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    try:
        person = services.person_from_token(token=token, meeting=meeting, user=request.user)
    except ValidationError as error:
        return render(
            request,
            "compact/attendance/answer_link.html",
            {"meeting": meeting, "refused": error.messages},
            status=403,
        )
    form = AnswerForm(request.POST or None)
    answered = None
    if request.method == "POST" and form.is_valid():
        try:
            answered = services.attendance_answer_by_link(
                meeting=meeting, token=token, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
    return render(
        request,
        "compact/attendance/answer_link.html",
        {"meeting": meeting, "person": person, "form": form, "answered": answered},
    )


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def attendance_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer records who was present: every member, then substitutes and others."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    attendance = selectors.meeting_attendance(meeting)
    form = RegisterForm(request.POST or None, members=attendance.members)
    if request.method == "POST" and form.is_valid():
        members, others = form.register()
        try:
            services.attendance_register(
                meeting=meeting, members=members, others=others, actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return _back(meeting)
    return render(
        request,
        "compact/attendance/register.html",
        {"meeting": meeting, "form": form, "attendance": attendance},
    )


@roles_required(Role.OFFICER)
@require_GET
def attendance_report(request: HttpRequest) -> HttpResponse:
    """Each member's meetings expected, attended, apologies and absent in a year; ?format=csv."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        datetime.date(year, 1, 1)
    except ValueError:
        messages.error(request, _("Choose a year such as %(year)s.") % {"year": today.year})
        year = today.year
    figures = selectors.attendance_figures(year, today=today)
    if request.GET.get("format") == "csv":
        headers = [
            _("Body"),
            _("Member"),
            _("Organisation"),
            _("Meetings expected"),
            _("Attended"),
            _("Apologies"),
            _("Absent"),
        ]
        response = HttpResponse(
            csv_text(selectors.figures_rows(figures, headers)), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="attendance-{year}.csv"'
        return response
    years = selectors.attendance_years()
    if year not in years:
        years = sorted([*years, year], reverse=True)
    return render(
        request,
        "compact/attendance/report.html",
        {"year": year, "years": years, "figures": figures},
    )
