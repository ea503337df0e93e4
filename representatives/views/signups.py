"""Sign-ups: the public form, e-mail confirmation, and the administrators' queue and decisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compact.platform.access import Role, has_role, public, roles_required
from compact.platform.forms import apply_validation_error
from compact.platform.throttle import hashed, rate_allows, within_rate
from representatives import forms, selectors, services
from representatives.models import (
    SignUp,
)
from representatives.views.common import GET_POST, _site_url


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
