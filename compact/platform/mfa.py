"""Two-step sign-in: who must use a second factor, and the check that holds a signed-in session
at the code step (or at enrolment) until it has passed.

The authenticator app is django-otp's TOTP device; ``request.user.is_verified()`` (django-otp's
``OTPMiddleware``) says the session passed the second step. :class:`SecondFactorMiddleware`
(just before the access middleware) holds every view, the admin site included; views of the
sign-in steps themselves (and signing out) are marked with :func:`before_second_factor`.

Who needs it: Officers, Administrators and superusers, and anyone an upper app says needs it
through a :class:`SecondFactorRequirement` (disputes: anyone who can see a dispute). Everyone
else may enrol from their account page, and is then asked for a code like the others.
``settings.MFA_REQUIRED = False`` turns the whole second step off (development).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from compact.platform import registry
from compact.platform.access import Role, has_role

ViewT = TypeVar("ViewT", bound=Callable[..., Any])

# The roles that always need a second factor.
REQUIRED_ROLES = (Role.OFFICER, Role.ADMINISTRATOR)
# "Not enrolled, and need not be" is kept in the session this long before it is asked again, so
# such a person's pages cost no extra query (a new role or dispute takes effect within this time).
FREE_SECONDS = 300
FREE_SESSION_KEY = "compact_mfa_free_until"


@dataclass(frozen=True)
class SecondFactorRequirement:
    """An upper app's reason why a user must use a second factor (``needs(user)``)."""

    key: str
    needs: Callable[[Any], bool]


def before_second_factor(view: ViewT) -> ViewT:
    """Mark a view reachable by a signed-in session that has not passed the second step yet
    (the code step, enrolment, signing out)."""
    view.before_second_factor = True  # type: ignore[attr-defined]
    return view


def _is_before_second_factor(view_func: Callable[..., Any]) -> bool:
    if getattr(view_func, "before_second_factor", False):
        return True
    view_class = getattr(view_func, "view_class", None)
    return bool(getattr(view_class, "before_second_factor", False))


def second_factor_required(user: Any) -> bool:
    """True when this user must use a second factor (whatever MFA_REQUIRED says)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or has_role(user, *REQUIRED_ROLES):
        return True
    return any(item.needs(user) for item in registry.items(SecondFactorRequirement))


def confirmed_device(user: Any) -> Any | None:
    """The user's confirmed authenticator (TOTP) device, or None if not enrolled."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_verified(request: HttpRequest) -> bool:
    """The session passed the second step (django-otp's OTPMiddleware)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def _free_until_valid(request: HttpRequest) -> bool:
    until = request.session.get(FREE_SESSION_KEY)
    return isinstance(until, (int, float)) and until > time.time()


def second_factor_gate(request: HttpRequest, view_func: Callable[..., Any]) -> HttpResponse | None:
    """None when the request may go on; otherwise the redirect to the code step (enrolled) or
    to enrolment (not enrolled and required)."""
    if not settings.MFA_REQUIRED:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or _is_before_second_factor(view_func):
        return None
    if is_verified(request) or _free_until_valid(request):
        return None
    if confirmed_device(user) is not None:
        target = "two_factor_verify"
    elif second_factor_required(user):
        target = "two_factor_enrol"
    else:
        # Neither enrolled nor required. Enrolling elsewhere ends this session, so the answer
        # only goes stale if a role (or a dispute) comes with it: asked again in a few minutes.
        request.session[FREE_SESSION_KEY] = time.time() + FREE_SECONDS
        return None
    url = reverse(target)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)


class SecondFactorMiddleware:
    """Sends a signed-in session that has not passed the second step to it (see module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        return second_factor_gate(request, view_func)


# --- Recovery codes -------------------------------------------------------------------------

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def recovery_code_new() -> str:
    """A fresh recovery code, ``xxxxx-xxxxx`` (about 49 bits)."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def recovery_code_normal(code: str) -> str:
    """What the person typed, as stored: lower case, no spaces or dashes."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_code_hash(code: str, salt: str) -> str:
    """Salted SHA-256 of the normalised code (keyed with SECRET_KEY's digest too, so a copy of
    the table alone cannot be searched)."""
    key = hashlib.sha256(settings.SECRET_KEY.encode()).digest()
    message = f"{salt}:{recovery_code_normal(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def recovery_code_matches(code: str, salt: str, code_hash: str) -> bool:
    return hmac.compare_digest(recovery_code_hash(code, salt), code_hash)


# --- Sessions -------------------------------------------------------------------------------


def end_other_sessions(user: Any, keep: str | None = None) -> int:
    """Sign the user out everywhere but the session ``keep``; returns how many were ended.

    Works with the database session engines (``db``, ``cached_db``), which can be listed."""
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    get_model = getattr(store_class, "get_model_class", None)
    if get_model is None:
        return 0
    from django.utils import timezone

    ended = 0
    model = get_model()
    for row in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if row.session_key == keep:
            continue
        data = row.get_decoded()
        if str(data.get("_auth_user_id")) == str(user.pk):
            store_class(session_key=row.session_key).delete()
            ended += 1
    return ended
