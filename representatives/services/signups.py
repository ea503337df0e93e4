"""Sign-ups: submitting, confirming the e-mail address, and the administrators' decisions (approve,
reject, withdraw, merge, erase)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from compact.models import Person
from compact.platform.access import Role, require_role
from compact.platform.history import save_with_history
from compact.platform.mail import send_in_their_language
from compact.platform.roles import grant_role
from partnerships.models import Partnership, ThirdSectorPlace
from representatives.models import (
    SIGNUP_PERSONAL_FIELDS,
    SignUp,
)
from representatives.services.common import CONSENT_WORDING, SIGNUP_TOKEN_MAX_AGE, SIGNUP_TOKEN_SALT
from representatives.services.elections import _signup_organisation


def signup_token(signup: SignUp) -> str:
    return signing.dumps({"signup": signup.pk, "email": signup.email}, salt=SIGNUP_TOKEN_SALT)


@transaction.atomic
def signup_submit(
    *,
    full_name: str,
    organisation_name: str,
    email: str,
    interests: str,
    consent: bool,
    site_url: str,
    phone: str = "",
    address: str = "",
    interest: str = SignUp.Interest.EITHER,
    experience: str = "",
    places: Iterable[ThirdSectorPlace] = (),
    partnerships: Iterable[Partnership] = (),
    consent_wording: Any = CONSENT_WORDING,
) -> SignUp:
    """A person registers interest without an account; consent is required and recorded with
    its exact wording, and a signed link is emailed to confirm the address."""
    if not consent:
        raise ValidationError(
            {"consent": _("We can only hold your details if you agree to the statement above.")}
        )
    signup = SignUp(
        full_name=full_name.strip(),
        organisation_name=organisation_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        address=address.strip(),
        interest=interest,
        interests=interests.strip(),
        experience=experience.strip(),
        consent_wording=str(consent_wording),
        consent_given_at=timezone.now(),
    )
    save_with_history(signup, actor=None, reason="Signed up")
    signup.places.set(places)
    signup.partnerships.set(partnerships)
    link = site_url.rstrip("/") + reverse(
        "representatives:signup_confirm", kwargs={"token": signup_token(signup)}
    )
    # No account yet, so no language chosen: Welsh and English, Welsh first.
    send_in_their_language(
        recipients=[signup.email],
        subject=lambda: _("Please confirm your email address - third-sector representatives"),
        body=lambda: render_to_string(
            "representatives/email/signup_confirm.txt", {"signup": signup, "link": link}
        ),
    )
    return signup


@transaction.atomic
def signup_confirm(*, token: str) -> SignUp:
    """The emailed link confirms the address and puts the sign-up in the administrators'
    queue; links older than a week or tampered with are refused."""
    try:
        payload = signing.loads(token, salt=SIGNUP_TOKEN_SALT, max_age=SIGNUP_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This confirmation link has expired. Please sign up again.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This confirmation link is not valid.")) from exc
    signup = SignUp.objects.select_for_update().filter(pk=payload.get("signup")).first()
    if signup is None or signup.email != payload.get("email"):
        raise ValidationError(_("This confirmation link is not valid."))
    if signup.status == SignUp.Status.UNVERIFIED:
        signup.status = SignUp.Status.WAITING
        signup.email_confirmed_at = timezone.now()
        save_with_history(signup, actor=None, reason="Email confirmed")
    return signup


def _require_signup_status(signup: SignUp, allowed: Sequence[str], action: str) -> None:
    if signup.status not in allowed:
        raise ValidationError(
            _("Cannot %(action)s this sign-up: it is %(status)s.")
            % {"action": action, "status": signup.get_status_display().lower()}
        )


def signup_email_confirmed(user: Any) -> bool:
    """The user's current address is one they confirmed through an approved sign-up, so the
    password-reset e-mail may reach them although the account was made without a password."""
    if not user.email:
        return False
    return SignUp.objects.filter(
        person__user=user,
        email__iexact=user.email,
        email_confirmed_at__isnull=False,
        status=SignUp.Status.APPROVED,
    ).exists()


def _set_password_link(user: Any, site_url: str) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


@transaction.atomic
def signup_approve(*, signup: SignUp, actor: Any, site_url: str) -> SignUp:
    """An administrator approves a confirmed sign-up: the Person is linked (same email) or
    created, given an account in the Representatives group, and emailed a set-password link."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators approve sign-ups."))
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(signup, [SignUp.Status.WAITING], _("approve"))
    organisation = _signup_organisation(signup=signup, actor=actor)
    person = Person.objects.filter(email__iexact=signup.email).first()
    if person is None:
        person = Person(
            full_name=signup.full_name,
            organisation=organisation,
            email=signup.email,
            phone=signup.phone,
        )
        save_with_history(person, actor=actor, reason=f"From sign-up #{signup.pk}")
    user_model = get_user_model()
    user = person.user
    if user is None:
        base = re.sub(r"[^\w.@+-]", "", signup.email.split("@")[0].lower())[:100] or "rep"
        username, suffix = base, 1
        while user_model.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}{suffix}"
        first, _sep, last = signup.full_name.partition(" ")
        user = user_model.objects.create_user(
            username=username, email=signup.email, first_name=first[:150], last_name=last[:150]
        )
        user.set_unusable_password()
        user.save()
        person.user = user
        save_with_history(person, actor=actor, reason=f"Account for sign-up #{signup.pk}")
    Group.objects.get_or_create(name=str(Role.REPRESENTATIVE))
    # Recorded like any role change; the approval e-mail below tells them, so no second one.
    grant_role(
        user=user,
        role=str(Role.REPRESENTATIVE),
        actor=actor,
        reason=f"Sign-up #{signup.pk} approved",
        notify=False,
        procedure=True,
    )
    signup.person = person
    signup.status = SignUp.Status.APPROVED
    signup.decided_at = timezone.now()
    signup.decided_by = actor
    save_with_history(signup, actor=actor, reason="Approved")
    for nomination in signup.nominations.filter(person__isnull=True):
        nomination.person = person
        save_with_history(nomination, actor=actor, reason="Sign-up approved")
    context = {"signup": signup, "user": user, "link": _set_password_link(user, site_url)}
    send_in_their_language(
        recipients=[signup.email],
        subject=lambda: _("Your Compact Tracker account"),
        body=lambda: render_to_string("representatives/email/signup_approved.txt", context),
    )
    return signup


@transaction.atomic
def signup_reject(*, signup: SignUp, reason: str, actor: Any) -> SignUp:
    """An administrator rejects a sign-up, always with a reason."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators reject sign-ups."))
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(signup, [SignUp.Status.UNVERIFIED, SignUp.Status.WAITING], _("reject"))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the sign-up.")})
    signup.status = SignUp.Status.REJECTED
    signup.rejection_reason = reason.strip()
    signup.decided_at = timezone.now()
    signup.decided_by = actor
    save_with_history(signup, actor=actor, reason="Rejected")
    return signup


@transaction.atomic
def signup_withdraw(*, signup: SignUp, actor: Any) -> SignUp:
    """The person withdrew (told VAMT); recorded by an administrator."""
    require_role(actor, Role.ADMINISTRATOR)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(signup, [SignUp.Status.UNVERIFIED, SignUp.Status.WAITING], _("withdraw"))
    signup.status = SignUp.Status.WITHDRAWN
    signup.decided_at = timezone.now()
    signup.decided_by = actor
    save_with_history(signup, actor=actor, reason="Withdrawn")
    return signup


@transaction.atomic
def signup_merge(*, duplicate: SignUp, into: SignUp, actor: Any) -> SignUp:
    """An administrator merges a duplicate into the sign-up kept: places and partnerships are
    combined, the duplicate is marked merged."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators merge sign-ups."))
    if duplicate.pk == into.pk:
        raise ValidationError(_("A sign-up cannot be merged into itself."))
    open_statuses = [SignUp.Status.UNVERIFIED, SignUp.Status.WAITING]
    duplicate = SignUp.objects.select_for_update().get(pk=duplicate.pk)
    into = SignUp.objects.select_for_update().get(pk=into.pk)
    _require_signup_status(duplicate, open_statuses, _("merge"))
    _require_signup_status(into, [*open_statuses, SignUp.Status.APPROVED], _("merge into"))
    into.places.add(*duplicate.places.all())
    into.partnerships.add(*duplicate.partnerships.all())
    duplicate.status = SignUp.Status.MERGED
    duplicate.merged_into = into
    duplicate.decided_at = timezone.now()
    duplicate.decided_by = actor
    save_with_history(duplicate, actor=actor, reason=f"Merged into #{into.pk}")
    return into


@transaction.atomic
def signup_erase(*, signup: SignUp, actor: Any) -> SignUp:
    """On request, erase the personal data of a rejected or withdrawn sign-up (or a merged
    duplicate), leaving an anonymised trace: number, dates, status, places of interest."""
    require_role(actor, Role.ADMINISTRATOR, message=_("Only administrators erase sign-ups."))
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    _require_signup_status(
        signup,
        [SignUp.Status.REJECTED, SignUp.Status.WITHDRAWN, SignUp.Status.MERGED],
        _("erase"),
    )
    if signup.nominations.exists():
        raise ValidationError(
            _("This sign-up was put forward in a selection round; that record must be kept.")
        )
    had_reason = bool(signup.rejection_reason)
    for name in SIGNUP_PERSONAL_FIELDS:
        setattr(signup, name, "")
    signup.full_name = _("(erased)")
    signup.organisation_name = _("(erased)")
    signup.email = f"erased-{signup.pk}@invalid.example"
    signup.interests = _("(erased)")
    signup.rejection_reason = _("(erased)") if had_reason else ""
    signup.status = SignUp.Status.ERASED
    signup.erased_at = timezone.now()
    signup.erased_by = actor
    save_with_history(signup, actor=actor, reason="Personal data erased on request")
    return signup
