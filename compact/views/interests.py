"""The register of interests: a member's own register, the officers' overview with stale
registers flagged, and a public body's published register (no private details)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.forms.attendance import InterestForm
from compact.models import Body, StandingInterest
from compact.platform.access import Role, has_role, public, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.selectors import interests as selectors
from compact.selectors import person_of
from compact.services import interests as services


@signed_in
@require_http_methods(["GET", "POST"])
def my_interests(request: HttpRequest) -> HttpResponse:
    """Declare an interest, see one's register, confirm it, withdraw an interest."""
    person = person_of(request.user)
    today = timezone.localdate()
    bodies = services.current_bodies(person, today) if person is not None else []
    form = InterestForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and person is not None and form.is_valid():
        try:
            services.interest_declare(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Interest added to your register."))
            return redirect("compact:my_interests")
    interests = selectors.interests_of(person) if person is not None else []
    return render(
        request,
        "compact/interests/mine.html",
        {
            "person": person,
            "bodies": bodies,
            "form": form,
            "interests": interests,
            "overdue": any(interest.is_overdue(today) for interest in interests),
        },
    )


@signed_in
@require_POST
def interests_confirm(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise Http404
    try:
        count = services.interests_confirm(person=person, actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("Thank you: %(count)s interests confirmed as still held.") % {"count": count}
        )
    return redirect("compact:my_interests")


@signed_in
@require_POST
def interest_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own interest (officers: anyone's); someone else's is not found."""
    interest = get_object_or_404(StandingInterest.objects.select_related("person"), pk=pk)
    officer = has_role(request.user, Role.OFFICER)
    if not officer and interest.person.user_id != request.user.pk:
        raise Http404
    try:
        services.interest_withdraw(interest=interest, actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Interest withdrawn from the register."))
    if officer and interest.person.user_id != request.user.pk:
        return redirect("compact:interest_register")
    return redirect("compact:my_interests")


@roles_required(Role.OFFICER)
@require_GET
def interest_register(request: HttpRequest) -> HttpResponse:
    """Every current member's interests, with private details; overdue registers first."""
    today = timezone.localdate()
    rows = selectors.register_for_officers(today)
    return render(
        request,
        "compact/interests/register.html",
        {"rows": rows, "overdue": sum(1 for row in rows if row.overdue)},
    )


@public
@require_GET
def body_interests(request: HttpRequest, slug: str) -> HttpResponse:
    """The published register of a body whose meetings are public; others are not found."""
    body = get_object_or_404(Body, slug=slug, meetings_public=True)
    return render(
        request,
        "compact/interests/body.html",
        {"body": body, "rows": selectors.published_register(body, timezone.localdate())},
    )
