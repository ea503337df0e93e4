"""What representatives record: declarations of interest, feedback reports to the sector and sector
issues."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compact.platform.access import Role, has_role, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.spreadsheets import write_csv_rows
from representatives import forms, selectors, services
from representatives.models import (
    Appointment,
    Declaration,
    FeedbackReport,
    SectorIssue,
)
from representatives.views.common import GET_POST, _form_page, _owned_or_404


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
