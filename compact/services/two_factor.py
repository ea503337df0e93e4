"""Two-step sign-in: enrolling an authenticator app, checking a code, recovery codes and an
administrator's reset. Every change to a person's second factor is recorded
(:class:`compact.models.SecondFactorChange`) and ends the person's other sessions.

A wrong code, a code replayed within its time step and a recovery code already used are
refused with their own message, logged, and change nothing but the count of failures, which
locks the second step like a password (``AXES_FAILURE_LIMIT`` within ``AXES_COOLOFF_TIME``).
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from compact.models import AccountEvent, RecoveryCode, SecondFactorChange
from compact.platform.access import Role, has_role
from compact.platform.audit import record_account_event
from compact.platform.mail import send_in_their_language
from compact.platform.mfa import (
    confirmed_device,
    end_other_sessions,
    recovery_code_hash,
    recovery_code_matches,
    recovery_code_new,
    recovery_code_normal,
)
from compact.platform.throttle import rate_allows, rate_forget, rate_used

logger = logging.getLogger(__name__)

FAILURE_SCOPE = "second-factor"


class SecondFactorLocked(Exception):
    """Too many wrong codes: the second step is paused for this person."""


@dataclass(frozen=True)
class CodeAccepted:
    device: TOTPDevice
    by_recovery_code: bool
    recovery_codes_left: int


def _client(user: Any) -> str:
    return f"user:{user.pk}"


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def is_locked(user: Any) -> bool:
    """The person has had too many wrong codes lately."""
    used = rate_used(scope=FAILURE_SCOPE, client=_client(user), seconds=_cooloff_seconds())
    return used >= settings.AXES_FAILURE_LIMIT


def _refuse(user: Any, message: str, reason: str, *, address: str | None) -> NoReturn:
    """Count a failure, log it (with the client's address) and raise the message (or the
    lockout once over the limit)."""
    rate_allows(
        scope=FAILURE_SCOPE,
        client=_client(user),
        limit=settings.AXES_FAILURE_LIMIT,
        seconds=_cooloff_seconds(),
    )
    logger.warning("Second factor refused for %s: %s", user.get_username(), reason)
    record_account_event(
        AccountEvent.Kind.SECOND_FACTOR_FAILED, user=user, address=address, detail=reason
    )
    if is_locked(user):
        logger.warning("Second factor locked for %s after repeated failures", user.get_username())
        raise SecondFactorLocked
    raise ValidationError({"code": ValidationError(message, code=reason)})


def _record(
    *, user: Any, actor: Any, action: str, reason: str = "", address: str | None = None
) -> SecondFactorChange:
    by = getattr(actor, "username", "") if actor is not None else ""
    record_account_event(
        AccountEvent.Kind.SECOND_FACTOR_CHANGED,
        user=user,
        address=address,
        detail=f"{action} by {by}: {reason}" if reason else f"{action} by {by}",
    )
    return SecondFactorChange.objects.create(
        user=user,
        username=user.get_username(),
        changed_by=actor,
        changed_by_username=getattr(actor, "username", "") if actor is not None else "",
        action=action,
        reason=reason[:200],
    )


def _recovery_codes_issue(user: Any) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [recovery_code_new() for _ in range(settings.MFA_RECOVERY_CODES)]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(user=user, salt=salt, code_hash=recovery_code_hash(code, salt)))
    RecoveryCode.objects.bulk_create(rows)
    return codes


def _is_totp_replay(device: TOTPDevice, token: int) -> bool:
    """The code is right for a time step already used (or older): a replay."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return bool(totp.verify(token, device.tolerance)) and totp.t() <= device.last_t


# --- Enrolment ------------------------------------------------------------------------------


@transaction.atomic
def enrolment_device(*, actor: Any) -> TOTPDevice:
    """The unconfirmed authenticator the actor is enrolling (a new secret the first time).
    Refused when the actor already has a confirmed one: changing it needs a reset."""
    if confirmed_device(actor) is not None:
        raise PermissionDenied(_("You have already set up two-step sign-in."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=actor, name=_("Authenticator app")[:64], confirmed=False
        )
    return device


def enrolment_confirm(
    *, actor: Any, code: str, session_key: str | None, address: str | None = None
) -> list[str]:
    """Confirm the actor's new authenticator with a code from it; returns the recovery codes
    (shown once). Ends the actor's other sessions. A wrong code is counted like one at the
    code step (outside the transaction, so the count survives the refusal)."""
    if is_locked(actor):
        raise SecondFactorLocked
    result = _enrolment_confirm(actor=actor, code=code, session_key=session_key, address=address)
    if isinstance(result, tuple):
        _refuse(actor, *result, address=address)
    return result


@transaction.atomic
def _enrolment_confirm(
    *, actor: Any, code: str, session_key: str | None, address: str | None
) -> list[str] | tuple[str, str]:
    device = enrolment_device(actor=actor)
    token = recovery_code_normal(code)
    if not (token.isdigit() and len(token) == device.digits):
        return _("Enter the 6-digit code your authenticator app shows."), "malformed"
    if not device.verify_token(token):
        return (
            _("That code is not right. Check the app shows Compact Tracker and try the new code."),
            "wrong-code",
        )
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(actor)
    _record(user=actor, actor=actor, action=SecondFactorChange.Action.ENROLLED, address=address)
    rate_forget(scope=FAILURE_SCOPE, client=_client(actor))
    end_other_sessions(actor, keep=session_key)
    logger.info("Second factor enrolled for %s", actor.get_username())
    return codes


# --- The code step --------------------------------------------------------------------------


def code_check(*, user: Any, code: str, address: str | None = None) -> CodeAccepted:
    """Check a code from the authenticator app or a recovery code after the password.

    Raises SecondFactorLocked when too many codes were wrong lately, and ValidationError
    (nothing changed but the failure count) for a wrong, replayed or used code. ``address``
    is the client's, for the audit log."""
    if is_locked(user):
        logger.warning("Second factor attempt for %s while locked", user.get_username())
        record_account_event(
            AccountEvent.Kind.SECOND_FACTOR_FAILED, user=user, address=address, detail="locked"
        )
        raise SecondFactorLocked
    token = recovery_code_normal(code)
    if not token:
        raise ValidationError({"code": ValidationError(_("Enter a code."), code="empty")})
    result = _code_check(user=user, token=token)
    if isinstance(result, CodeAccepted):
        detail = "recovery code" if result.by_recovery_code else ""
        record_account_event(
            AccountEvent.Kind.SECOND_FACTOR_PASSED, user=user, address=address, detail=detail
        )
        return result
    _refuse(user, *result, address=address)


WRONG_CODE = "wrong-code"


@transaction.atomic
def _code_check(*, user: Any, token: str) -> CodeAccepted | tuple[str, str]:
    device = confirmed_device(user)
    if device is None:
        raise PermissionDenied(_("You have not set up two-step sign-in."))
    wrong = _("That code is not right. Try the code the app shows now."), WRONG_CODE
    if token.isdigit() and len(token) == device.digits:
        before = device.last_t
        if device.verify_token(token):
            rate_forget(scope=FAILURE_SCOPE, client=_client(user))
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            return CodeAccepted(device=device, by_recovery_code=False, recovery_codes_left=left)
        device.last_t = before
        if _is_totp_replay(device, int(token)):
            return (
                _("That code has already been used. Wait for the app to show a new one."),
                "replayed-code",
            )
        return wrong
    codes = list(RecoveryCode.objects.select_for_update().filter(user=user))
    for row in codes:
        if recovery_code_matches(token, row.salt, row.code_hash):
            if row.used_at is not None:
                return (
                    _("That recovery code has already been used. Each one works only once."),
                    "used-recovery-code",
                )
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            rate_forget(scope=FAILURE_SCOPE, client=_client(user))
            left = sum(1 for other in codes if other.used_at is None)
            logger.info("Recovery code used by %s (%d left)", user.get_username(), left)
            return CodeAccepted(device=device, by_recovery_code=True, recovery_codes_left=left)
    return wrong


# --- Recovery codes and reset ---------------------------------------------------------------


@transaction.atomic
def recovery_codes_regenerate(
    *, actor: Any, session_key: str | None, address: str | None = None
) -> list[str]:
    """New recovery codes for the actor (the old ones stop working); returns them, shown once.
    Ends the actor's other sessions."""
    if confirmed_device(actor) is None:
        raise PermissionDenied(_("You have not set up two-step sign-in."))
    codes = _recovery_codes_issue(actor)
    _record(
        user=actor,
        actor=actor,
        action=SecondFactorChange.Action.CODES_REGENERATED,
        address=address,
    )
    end_other_sessions(actor, keep=session_key)
    logger.info("Recovery codes regenerated for %s", actor.get_username())
    return codes


def may_reset(actor: Any, user: Any) -> bool:
    """Administrators reset anyone's second factor but a superuser's (only a superuser resets
    that). A reset gives nobody the password; it is recorded and e-mailed to the person."""
    if not has_role(actor, Role.ADMINISTRATOR):
        return False
    return actor.is_superuser or not user.is_superuser


@transaction.atomic
def second_factor_reset(
    *,
    actor: Any,
    user: Any,
    reason: str,
    session_key: str | None = None,
    address: str | None = None,
) -> SecondFactorChange:
    """Remove the person's authenticator and recovery codes, so they enrol again at their next
    sign-in (if it is required for them). Recorded, e-mailed to the person, and every other
    session of theirs is ended."""
    if not may_reset(actor, user):
        raise PermissionDenied(
            _("You may not reset the second factor of %(user)s.") % {"user": user}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the second factor is being reset.")})
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    record = _record(
        user=user,
        actor=actor,
        action=SecondFactorChange.Action.RESET,
        reason=reason,
        address=address,
    )
    rate_forget(scope=FAILURE_SCOPE, client=_client(user))
    end_other_sessions(user, keep=session_key if user.pk == actor.pk else None)
    logger.warning("Second factor of %s reset by %s", user.get_username(), actor.get_username())
    if user.email:
        context = {"user": user, "record": record, "actor": actor, "site_url": settings.SITE_URL}
        send_in_their_language(
            recipients=[user],
            subject=lambda: _("Your two-step sign-in for the Compact Tracker was reset"),
            body=lambda: render_to_string("compact/email/second_factor_reset.txt", context),
        )
    return record
