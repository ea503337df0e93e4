"""Core pages: the home dashboard and the directory of bodies, organisations and people."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compact import selectors
from compact.access import Role, has_role, roles_required, signed_in
from compact.models import Body, Organisation, Person
from compact.registry import dashboard_panels


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: each registered panel the user's roles admit, in order."""
    panels = []
    for panel in dashboard_panels():
        if panel.roles is not None and not has_role(request.user, *panel.roles):
            continue
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, "context": context, "key": panel.key})
    return render(
        request,
        "compact/home.html",
        {
            "compact": selectors.compact_current(),
            "person": selectors.person_for_user(request.user),
            "my_bodies": selectors.bodies_of_user(request.user),
            "panels": panels,
            "is_officer": has_role(request.user, Role.OFFICER),
            "is_administrator": has_role(request.user, Role.ADMINISTRATOR),
        },
    )


@signed_in
@require_GET
def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "compact/body_list.html", {"bodies": selectors.body_list()})


@signed_in
@require_GET
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        body = selectors.body_with_current_members(slug=slug)
    except Body.DoesNotExist as exc:
        raise Http404 from exc
    # Contact details are personal data: only officers and administrators see them.
    show_contacts = has_role(request.user, Role.OFFICER, Role.ADMINISTRATOR)
    return render(
        request, "compact/body_detail.html", {"body": body, "show_contacts": show_contacts}
    )


@signed_in
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.order_by("sector", "name")
    return render(request, "compact/organisation_list.html", {"organisations": organisations})


@roles_required(Role.OFFICER, Role.ADMINISTRATOR)
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.select_related("organisation", "user").order_by("full_name")
    return render(request, "compact/person_list.html", {"people": people})
