"""The representative's own page and the representatives' report (HTML and PDF)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from compact.platform.access import Role, roles_required
from compact.platform.pdf.languages import paper_language_or_404
from compact.selectors import person_of
from representatives import selectors
from representatives.models import (
    Appointment,
    Declaration,
    FeedbackReport,
)
from representatives.views.common import GET_POST


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

    language = paper_language_or_404(request) if request.GET.get("language") else ""
    return offer_or_start(request, kind=REPORT_PDF, key=language)
