"""Core pages: the home dashboard and the directory of bodies, organisations and people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compact import selectors, services
from compact.forms.codes import CompactForm
from compact.models import Body, Organisation, Person
from compact.platform import registry
from compact.platform.access import Role, has_role, public, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.registry import DashboardPanel, PublicPanel


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: each registered panel the user's roles admit, in order. A visitor not
    signed in gets the public home page instead."""
    if not request.user.is_authenticated:
        return public_home(request)
    panels = []
    for panel in registry.items(DashboardPanel):
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
            "person": selectors.person_of(request.user),
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


def public_home(request: HttpRequest) -> HttpResponse:
    """What the Compact is, its public plans, the Board's coming meetings, how to become a
    representative and how to raise a concern: for visitors who are not signed in."""
    panels = []
    for panel in registry.items(PublicPanel):
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, "context": context, "key": panel.key})
    return render(
        request,
        "compact/public_home.html",
        {
            "compact": selectors.compact_current(),
            "meetings": selectors.public_meetings(),
            "panels": panels,
        },
    )


@public
@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """How a member of the public raises a question or a concern about the Compact."""
    return render(request, "compact/contact.html", {"compact": selectors.compact_current()})


@roles_required(Role.OFFICER, Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def compact_edit(request: HttpRequest) -> HttpResponse:
    """Officers and administrators keep the Compact's name and public description."""
    compact = selectors.compact_current()
    if compact is None:
        raise Http404("No Compact has been set up yet")
    form = CompactForm(request.POST or None, instance=compact)
    if request.method == "POST" and form.is_valid():
        try:
            services.compact_update(compact=compact, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The Compact's description is saved."))
            return redirect("home")
    return render(request, "compact/compact_edit.html", {"form": form})
