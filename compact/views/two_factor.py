"""Two-step sign-in pages: enrolment, the code step after the password, the person's own page
(recovery codes) and the administrators' reset. The rules are in
``compact.services.two_factor`` and ``compact.platform.mfa``."""

from __future__ import annotations

import base64
import io
import re

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from compact.forms.two_factor import CodeForm, EnrolmentCodeForm, ResetForm
from compact.models import RecoveryCode, SecondFactorChange
from compact.platform.access import Role, roles_required, signed_in
from compact.platform.forms import apply_validation_error
from compact.platform.mfa import (
    before_second_factor,
    confirmed_device,
    is_verified,
    second_factor_required,
)
from compact.platform.throttle import client_address
from compact.services import two_factor as services


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _locked(request: HttpRequest) -> HttpResponse:
    response = render(request, "registration/two_factor_locked.html", status=429)
    response["Cache-Control"] = "no-store"
    return response


def _codes_page(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    response = render(
        request, "registration/two_factor_codes.html", {"codes": codes, "next": next_url}
    )
    response["Cache-Control"] = "no-store"
    return response


def qr_svg(text: str) -> str:
    """The QR code of ``text`` as an inline SVG element, made here (no script, no CDN)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return re.sub(
        r'width="[^"]*" height="[^"]*"', 'width="220" height="220" aria-hidden="true"', svg, count=1
    )


@signed_in
@before_second_factor
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), confirm with a code,
    then see the recovery codes once."""
    user = request.user
    if confirmed_device(user) is not None:
        if is_verified(request):
            return redirect("two_factor_account")
        return redirect("two_factor_verify")
    next_url = _next_url(request)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrolment_confirm(
                actor=user,
                code=form.cleaned_data["code"],
                session_key=request.session.session_key,
                address=client_address(request),
            )
        except services.SecondFactorLocked:
            return _locked(request)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            otp_login(request, confirmed_device(user))
            return _codes_page(request, codes, next_url=next_url)
    device = services.enrolment_device(actor=user)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    response = render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": second_factor_required(user),
            "next": next_url,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@signed_in
@before_second_factor
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step after the password."""
    user = request.user
    next_url = _next_url(request)
    if is_verified(request):
        return redirect(next_url)
    if confirmed_device(user) is None:
        return redirect(reverse("two_factor_enrol") + "?" + urlencode({"next": next_url}))
    if services.is_locked(user):
        return _locked(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.code_check(
                user=user, code=form.cleaned_data["code"], address=client_address(request)
            )
        except services.SecondFactorLocked:
            return _locked(request)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            otp_login(request, accepted.device)
            if accepted.by_recovery_code:
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(count)d are left. "
                        "Make new ones from your two-step sign-in page if you are running out."
                    )
                    % {"count": accepted.recovery_codes_left},
                )
            return redirect(next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@signed_in
@require_http_methods(["GET", "POST"])
def two_factor_account(request: HttpRequest) -> HttpResponse:
    """The person's own two-step sign-in: set it up (if optional for them) or make new
    recovery codes."""
    user = request.user
    device = confirmed_device(user)
    if request.method == "POST":
        try:
            codes = services.recovery_codes_regenerate(
                actor=user,
                session_key=request.session.session_key,
                address=client_address(request),
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("two_factor_account")
        return _codes_page(request, codes, next_url=reverse("two_factor_account"))
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() if device else 0
    return render(
        request,
        "registration/two_factor_account.html",
        {
            "enrolled": device is not None,
            "codes_left": left,
            "required": second_factor_required(user),
        },
    )


@roles_required(Role.ADMINISTRATOR)
@require_http_methods(["GET"])
def two_factor_people(request: HttpRequest) -> HttpResponse:
    """Administrators: who has set up two-step sign-in, with a reset for each."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("username")
    )
    changes = SecondFactorChange.objects.all()[:20]
    return render(
        request, "registration/two_factor_people.html", {"people": users, "changes": changes}
    )


@roles_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """Administrators: reset one person's second factor, with a reason."""
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    allowed = services.may_reset(request.user, person)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.second_factor_reset(
                actor=request.user,
                user=person,
                reason=form.cleaned_data["reason"],
                session_key=request.session.session_key,
                address=client_address(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The second factor of %(user)s was reset; they have been told by e-mail.")
                % {"user": person.get_username()},
            )
            return redirect("two_factor_people")
    return render(
        request,
        "registration/two_factor_reset.html",
        {
            "form": form,
            "person": person,
            "allowed": allowed,
            "enrolled": confirmed_device(person) is not None,
        },
    )
