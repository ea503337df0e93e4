"""Single sign-on with OpenID Connect (issue 17): a person signs in at their organisation (a
council's Microsoft Entra ID, say) and is matched to their EXISTING account here by a verified
e-mail address. Nothing here creates an account or gives a role.

Configured only by the settings ``OIDC_ISSUER``, ``OIDC_CLIENT_ID``, ``OIDC_CLIENT_SECRET`` and
``OIDC_BUTTON_LABEL`` (read from the environment in ``compact/settings/base.py``); the endpoints
come from the issuer's discovery document, fetched once and cached. mozilla-django-oidc does the
protocol (state, nonce and PKCE at the start; the code exchange and the signing keys at the
callback); :class:`SsoBackend` narrows it: every ID token is checked for signature (RS256 only),
issuer, audience, expiry and nonce, the e-mail must be verified (``email_verified``, or Entra's
``xms_edov``), and exactly one active account may carry it.

Every refusal is an :class:`SsoRefused` with a reason, logged as one line that never holds token
contents, and changes nothing: no session is signed in and no user is saved. The callback goes
through ``django.contrib.auth.authenticate``, so django-axes counts SSO failures from an address
and refuses a locked-out address, and an account locked out locally stays locked for SSO too.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from typing import Any

import jwt
import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from compact.platform.throttle import client_address

logger = logging.getLogger("compact.sso")

BACKEND = "compact.platform.sso.SsoBackend"
SIGNING_ALGORITHM = "RS256"
DISCOVERY_SECONDS = 24 * 3600
# A sign-in started longer ago than this is not finished: start again.
STATE_SECONDS = 15 * 60
HTTP_TIMEOUT_SECONDS = 10
CLOCK_SKEW_SECONDS = 60
NEXT_SESSION_KEY = "oidc_login_next"
STATES_SESSION_KEY = "oidc_states"

# mozilla-django-oidc's settings, answered from ours (so only the four OIDC_* variables
# configure SSO) and from fixed choices.
FIXED_SETTINGS: dict[str, Any] = {
    "OIDC_RP_SIGN_ALGO": SIGNING_ALGORITHM,
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_CREATE_USER": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_VERIFY_SSL": True,
    "OIDC_VERIFY_KID": True,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_TIMEOUT": HTTP_TIMEOUT_SECONDS,
    "OIDC_PROXY": None,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso_callback",
    "OIDC_REDIRECT_FIELD_NAME": "next",
    "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
}
DISCOVERED_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


# What the person is told, by kind of refusal, and the answer's status; the log line carries the
# precise reason.
MESSAGES: dict[str, Promise] = {
    "state": _(
        "This sign-in could not be finished: it was started too long ago, was already "
        "used, or was started in another browser. Please start again from the sign-in page."
    ),
    "provider": _("Your organisation's sign-in service did not sign you in. Please try again."),
    "token": _(
        "Your organisation's sign-in service sent an answer that could not be trusted, so "
        "you were not signed in. Please try again; if this keeps happening, tell an "
        "administrator."
    ),
    "expired": _(
        "The answer from your organisation's sign-in service had expired, so you were not "
        "signed in. Please try again."
    ),
    "unverified": _(
        "Your organisation did not confirm that your e-mail address is verified, so it "
        "cannot be matched to an account here."
    ),
    "unknown": _(
        "There is no account here with the e-mail address your organisation gave. Single "
        "sign-on only signs in to existing accounts: ask an administrator to add your "
        "account with that address."
    ),
    "inactive": _(
        "The account with your e-mail address is switched off. Ask an administrator if "
        "you still need it."
    ),
    "duplicate": _(
        "More than one account here has your e-mail address, so we cannot tell which one "
        "is yours. Ask an administrator to correct this."
    ),
    "locked": _("Too many failed sign-in attempts from here. Please try again later."),
    "unavailable": _(
        "Your organisation's sign-in service cannot be reached just now. Please try again "
        "later, or sign in with your password."
    ),
}
STATUS = {
    "state": 400,
    "provider": 400,
    "token": 400,
    "expired": 400,
    "unverified": 403,
    "unknown": 403,
    "inactive": 403,
    "duplicate": 403,
    "locked": 429,
    "unavailable": 503,
}

# Precise reasons (logged) and the kind of message each gets.
REASONS: dict[str, str] = {
    "no_state": "state",
    "bad_state": "state",
    "expired_state": "state",
    "missing_code": "state",
    "provider_error": "provider",
    "token_request_refused": "provider",
    "bad_signature": "token",
    "unknown_signing_key": "token",
    "bad_algorithm": "token",
    "wrong_audience": "token",
    "wrong_issuer": "token",
    "bad_nonce": "token",
    "missing_nonce": "token",
    "malformed_token": "token",
    "expired_token": "expired",
    "unverified_email": "unverified",
    "unknown_email": "unknown",
    "inactive_account": "inactive",
    "duplicate_email": "duplicate",
    "locked_out": "locked",
    "provider_unreachable": "unavailable",
    "discovery_invalid": "unavailable",
}


class SsoRefused(PermissionDenied):
    """A sign-in refused for ``reason`` (a key of :data:`REASONS`). A ``PermissionDenied``, so
    ``django.contrib.auth.authenticate`` stops at it and reports a failed sign-in to axes."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown SSO refusal reason {reason!r}")
        super().__init__(reason)
        self.reason = reason
        self.detail = detail  # logged: never token contents

    @property
    def message(self) -> Promise:
        return MESSAGES[REASONS[self.reason]]

    @property
    def status(self) -> int:
        return STATUS[REASONS[self.reason]]


def enabled() -> bool:
    """SSO is on when an issuer and a client are configured."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def button_label() -> str:
    """The organisation's name on the sign-in button ("" for the generic wording)."""
    return settings.OIDC_BUTTON_LABEL


def sign_in_options(request: HttpRequest) -> dict[str, Any]:
    """Template context: whether the sign-in page offers SSO, and with whose name."""
    return {"sso_enabled": enabled(), "sso_label": button_label()}


def _issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/")


def discovery() -> dict[str, str]:
    """The issuer's endpoints, from its discovery document: fetched once, then cached (a day).
    Refuses with ``provider_unreachable`` or ``discovery_invalid``; a failure is not cached."""
    issuer = _issuer()
    key = "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()[:32]
    found = cache.get(key)
    if found is not None:
        return found
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=HTTP_TIMEOUT_SECONDS
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("SSO discovery failed: %s", type(error).__name__)
        raise SsoRefused("provider_unreachable") from None
    if not isinstance(document, dict):
        raise SsoRefused("discovery_invalid")
    wanted = ("issuer", *DISCOVERED_SETTINGS.values())
    found = {name: document.get(name) for name in wanted}
    secure = issuer.startswith("https://")
    if (
        not all(isinstance(value, str) and value for value in found.values())
        or found["issuer"].rstrip("/") != issuer
        or (secure and not all(value.startswith("https://") for value in found.values()))
    ):
        logger.warning("SSO discovery document is not usable for issuer %s", issuer)
        raise SsoRefused("discovery_invalid")
    cache.set(key, found, DISCOVERY_SECONDS)
    return found


def setting(name: str, *default: Any) -> Any:
    """mozilla-django-oidc's ``get_settings``: its names answered from ours and discovery."""
    if name == "OIDC_RP_CLIENT_ID":
        return settings.OIDC_CLIENT_ID
    if name == "OIDC_RP_CLIENT_SECRET":
        return settings.OIDC_CLIENT_SECRET
    if name in DISCOVERED_SETTINGS:
        return discovery()[DISCOVERED_SETTINGS[name]]
    if name in FIXED_SETTINGS:
        return FIXED_SETTINGS[name]
    return import_from_settings(name, *default)


def _verified(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def email_is_verified(claims: dict[str, Any]) -> bool:
    """The provider vouches for the address: ``email_verified`` true, or, from a provider that
    sends no ``email_verified`` at all (Microsoft Entra ID), ``xms_edov`` true (the address's
    domain is verified by the tenant). An explicit ``email_verified: false`` is never
    overruled."""
    if "email_verified" in claims:
        return _verified(claims["email_verified"])
    return _verified(claims.get("xms_edov"))


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, made strict: answers only the SSO callback's credentials
    (never a username and password), verifies everything about the ID token, reads the claims
    from the ID token itself, and only ever finds an existing, active account."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes a backend for every sign-in and every request's user: reading the
        # endpoints (a discovery fetch) waits for the SSO callback.
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = SIGNING_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return setting(attr, *args)

    # Endpoints and the client, read when the callback needs them.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return setting("OIDC_OP_JWKS_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.OIDC_CLIENT_SECRET

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        *,
        sso_code: str,
        sso_nonce: str | None,
        sso_code_verifier: str | None = None,
    ) -> Any:
        """Exchange the code, check the ID token, find the account. Keyword-only credentials
        that a password form never sends, so a local sign-in never reaches this backend."""
        if request is None or not enabled():
            return None
        self.request = request
        try:
            token_payload = {
                "client_id": settings.OIDC_CLIENT_ID,
                "client_secret": settings.OIDC_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": sso_code,
                "redirect_uri": request.build_absolute_uri(_callback_path()),
            }
            if sso_code_verifier:
                token_payload["code_verifier"] = sso_code_verifier
            answer = self.get_token(token_payload)
            id_token = answer.get("id_token") if isinstance(answer, dict) else None
            if not isinstance(id_token, str) or not id_token:
                raise SsoRefused("malformed_token")
            claims = self.verify_token(id_token, nonce=sso_nonce)
            return self.get_or_create_user(answer.get("access_token"), id_token, claims)
        except SsoRefused as refusal:
            request.sso_refusal = refusal  # type: ignore[attr-defined]
            raise

    def get_token(self, payload: dict[str, Any]) -> Any:
        try:
            response = requests.post(
                self.OIDC_OP_TOKEN_ENDPOINT, data=payload, timeout=HTTP_TIMEOUT_SECONDS
            )
        except requests.RequestException:
            raise SsoRefused("provider_unreachable") from None
        if response.status_code != 200:
            # The body may hold the provider's view of the code: not logged.
            logger.warning("SSO token request answered %s", response.status_code)
            raise SsoRefused("token_request_refused")
        try:
            return response.json()
        except ValueError:
            raise SsoRefused("malformed_token") from None

    def retrieve_matching_jwk(self, token: str) -> Any:
        try:
            return super().retrieve_matching_jwk(token)
        except requests.RequestException:
            raise SsoRefused("provider_unreachable") from None
        except (SuspiciousOperation, KeyError, TypeError, ValueError, jwt.PyJWTError):
            raise SsoRefused("unknown_signing_key") from None

    @staticmethod
    def _check_algorithm(token: str) -> None:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise SsoRefused("malformed_token") from None
        if header.get("alg") != SIGNING_ALGORITHM:
            raise SsoRefused("bad_algorithm")

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The signature (RS256 only), issuer, audience, expiry and issue time."""
        self._check_algorithm(payload)
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[SIGNING_ALGORITHM],
                audience=settings.OIDC_CLIENT_ID,
                issuer=discovery()["issuer"],
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise SsoRefused("expired_token") from None
        except jwt.InvalidAudienceError:
            raise SsoRefused("wrong_audience") from None
        except jwt.InvalidIssuerError:
            raise SsoRefused("wrong_issuer") from None
        except jwt.InvalidSignatureError:
            raise SsoRefused("bad_signature") from None
        except jwt.PyJWTError:
            raise SsoRefused("malformed_token") from None
        audience = claims.get("aud")
        # Several audiences: the token must have been issued to us (OpenID Connect Core 3.1.3.7).
        several = isinstance(audience, list) and len(audience) > 1
        if several and claims.get("azp") != settings.OIDC_CLIENT_ID:
            raise SsoRefused("wrong_audience")
        return claims

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The ID token's signature and claims, then its nonce against the one we sent."""
        self._check_algorithm(token)  # "none" or a shared secret never reaches the keys
        key = self.retrieve_matching_jwk(token)
        claims = self._verify_jws(token, key)
        sent = kwargs.get("nonce")
        received = claims.get("nonce")
        if not isinstance(received, str) or not received:
            raise SsoRefused("missing_nonce")
        if not sent or not constant_time_compare(sent, received):
            raise SsoRefused("bad_nonce")
        return claims

    def get_userinfo(self, access_token: Any, id_token: str, payload: dict[str, Any]) -> Any:
        # The verified ID token carries the claims we need (email, email_verified / xms_edov).
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        email = claims.get("email")
        if not isinstance(email, str) or not email.strip() or not email_is_verified(claims):
            raise SsoRefused("unverified_email")
        return True

    def get_or_create_user(self, access_token: Any, id_token: str, payload: dict[str, Any]) -> Any:
        """Exactly one account with this e-mail address (any case), active, not locked out.
        Never creates one; never changes one."""
        claims = self.get_userinfo(access_token, id_token, payload)
        email = claims.get("email")
        if isinstance(email, str) and email.strip():
            # From here a failure counts against the person the provider vouched for, not the
            # whole office behind one address (see axes_username).
            self.request.sso_axes_username = SSO_IDENTITY_PREFIX + email.strip().lower()  # type: ignore[attr-defined]
        self.verify_claims(claims)
        found = list(self.filter_users_by_claims({"email": claims["email"].strip()})[:2])
        if not found:
            raise SsoRefused("unknown_email")
        if len(found) > 1:
            raise SsoRefused("duplicate_email")
        user = found[0]
        self.request.sso_axes_username = user.get_username()  # type: ignore[attr-defined]
        if not user.is_active:
            raise SsoRefused("inactive_account")
        credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            # The account is locked out from this address (failed passwords): SSO waits too.
            self.request.axes_locked_out = True  # type: ignore[attr-defined]
            self.request.axes_credentials = credentials  # type: ignore[attr-defined]
            raise SsoRefused("locked_out")
        return user

    def create_user(self, claims: dict[str, Any]) -> Any:
        raise SsoRefused("unknown_email")

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return user

    def get_user(self, user_id: Any) -> Any:
        # The session's user, as the model backend reads it (inactive accounts are signed out).
        return ModelBackend.get_user(self, user_id)

    # Permissions are the model backend's (listed before this one); this one grants nothing.
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False


# Usernames never hold a colon (Django's validator), so an SSO identity cannot pose as one.
SSO_IDENTITY_PREFIX = "sso:"


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> Any:
    """django-axes' username of an attempt (``AXES_USERNAME_CALLABLE``). At the SSO callback,
    once the provider's signed token says who it is: the matched account's username, or
    ``sso:<e-mail>`` for an address with no account, so people without an account here cannot
    lock out everyone behind their office's address. Before that (a token that fails its
    checks) the attempt has no username and counts against the address. Anywhere else: axes'
    own rule, the form's username."""
    identity = getattr(request, "sso_axes_username", None)
    if identity:
        return identity
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return credentials.get(field)
    return getattr(request, "data", request.POST).get(field)


def _callback_path() -> str:
    return reverse(FIXED_SETTINGS["OIDC_AUTHENTICATION_CALLBACK_URL"])


def _log_refusal(request: HttpRequest, refusal: SsoRefused) -> None:
    reason = f"{refusal.reason} {refusal.detail}" if refusal.detail else refusal.reason
    logger.warning("SSO sign-in refused: %s (client %s)", reason, client_address(request) or "-")


PROVIDER_ERROR = re.compile(r"^[a-z_]{1,40}$")


def finish(request: HttpRequest) -> str:
    """The callback: check the state the sign-in started with, authenticate (through axes and
    :class:`SsoBackend`), sign the person in. Returns where to go next; raises
    :class:`SsoRefused` (logged) with nothing signed in and no user changed."""
    try:
        return _finish(request)
    except SsoRefused as refusal:
        _log_refusal(request, refusal)
        raise


def _finish(request: HttpRequest) -> str:
    states = request.session.get(STATES_SESSION_KEY)
    state = request.GET.get("state", "")
    entry = None
    if isinstance(states, dict) and state:
        # Used once, whatever happens next.
        entry = states.pop(state, None)
        request.session.modified = True
    error = request.GET.get("error", "")
    if error:
        shown = error if PROVIDER_ERROR.match(error) else "other"
        raise SsoRefused("provider_error", detail=shown)
    if not isinstance(states, dict) or (not states and entry is None):
        raise SsoRefused("no_state")
    if entry is None or not isinstance(entry, dict):
        raise SsoRefused("bad_state")
    if time.time() - float(entry.get("added_on") or 0) > STATE_SECONDS:
        raise SsoRefused("expired_state")
    code = request.GET.get("code", "")
    if not code:
        raise SsoRefused("missing_code")
    user = authenticate(
        request,
        sso_code=code,
        sso_nonce=entry.get("nonce"),
        sso_code_verifier=entry.get("code_verifier"),
    )
    if user is None:
        refusal = getattr(request, "sso_refusal", None)
        raise refusal if isinstance(refusal, SsoRefused) else SsoRefused("locked_out")
    next_url = request.session.pop(NEXT_SESSION_KEY, None)
    request._compact_sso = True  # the audit log records it as a single sign-on
    login(request, user)
    logger.info("SSO sign-in: user %s", user.pk)
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(settings.LOGIN_REDIRECT_URL)
