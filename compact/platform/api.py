"""The read-only API's shell (/api/v1/, docs/api.md): personal bearer tokens, throttling,
pagination and the base view every endpoint stands on. The apps' endpoints live in their own
``api.py`` modules (``compact.api``, ``plans.api``, ``partnerships.api``).

- A request without ``Authorization`` is anonymous and reads what a visitor reads on the web.
- ``Authorization: Bearer <token>`` with a live personal token reads as its holder; a wrong,
  revoked or expired token, or any other scheme, is refused with 401 and a sentence saying
  which, recorded in the account audit log (``compact.platform.audit``) and changing nothing.
  Past ``API_REFUSALS_PER_MINUTE`` refusals a minute from one address the client gets 429 and
  nothing more is written, so guessing tokens cannot fill the log.
- Every endpoint answers GET, HEAD and OPTIONS only: tokens are read-only. Anything else is
  refused by the CSRF check (403), which runs first as for every view, or else with 405.
- Requests are counted in the project cache (DRF throttling): per address without a token, per
  person with one.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from typing import Any, NoReturn

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import (
    authentication,
    exceptions,
    mixins,
    pagination,
    permissions,
    throttling,
)
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

from compact.models.api_tokens import ApiToken
from compact.models.audit import AccountEvent
from compact.platform.access import public
from compact.platform.audit import record_account_event
from compact.platform.throttle import client_address

logger = logging.getLogger("compact.api")

TOKEN_PREFIX = "ct_"  # noqa: S105 (a label, not a secret)
# Shown in the token list so a holder can tell their tokens apart; 8 random characters of 43.
SHOWN_CHARACTERS = len(TOKEN_PREFIX) + 8
# last_used_at is written at most this often per token, so reading costs no write each time.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def new_token_secret() -> str:
    """A new token's secret: 256 random bits, URL-safe, with a prefix that says what it is."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(secret: str) -> str:
    """What is stored of a token: its SHA-256 (the secret is random, so no salt is needed)."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def _refusals_allowed(request: Request) -> bool:
    """Count one refusal for the client's address; False once past the minute's limit."""
    key = f"api-refusals:{client_address(request._request) or 'unknown'}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count <= settings.API_REFUSALS_PER_MINUTE


def _refuse(
    request: Request, message: str, *, reason: str, token: ApiToken | None = None
) -> NoReturn:
    """Refuse the request (401) and record why, unless this address is refused too often."""
    if not _refusals_allowed(request):
        raise exceptions.Throttled(
            wait=60, detail=_("Too many refused API tokens from this address: wait a minute.")
        )
    detail = reason if token is None else f"{reason}: {token.prefix}… ({token.name})"
    record_account_event(
        AccountEvent.Kind.API_TOKEN_REFUSED,
        user=token.user if token is not None else None,
        request=request._request,
        detail=detail,
    )
    logger.warning("API token refused (%s) from %s", detail, client_address(request._request))
    raise exceptions.AuthenticationFailed(message)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``: a live personal token reads as its holder."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != b"bearer" or len(header) != 2:
            _refuse(
                request,
                _("Send a personal API token as: Authorization: Bearer <token>."),
                reason="malformed Authorization header",
            )
        secret = header[1].decode("utf-8", "replace")
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
        now = timezone.now()
        if token is None:
            _refuse(request, _("This API token is not valid."), reason="unknown token")
        elif token.revoked_at is not None:
            _refuse(request, _("This API token has been revoked."), reason="revoked", token=token)
        elif token.is_expired(now):
            _refuse(
                request,
                _("This API token expired on %(date)s.")
                % {"date": timezone.localtime(token.expires_at).strftime("%d/%m/%Y %H:%M")},
                reason="expired",
                token=token,
            )
        elif not token.user.is_active:
            _refuse(
                request, _("The account of this API token is disabled."), reason="inactive",
                token=token,
            )  # fmt: skip
        elif token.scope != ApiToken.Scope.READ:
            _refuse(request, _("This API token may not read."), reason="scope", token=token)
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token scheme as the OpenAPI schema describes it."""

    target_class = "compact.platform.api.BearerTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token made at /accounts/api-tokens/ (read-only).",
        }


def holds_token(request: Request) -> bool:
    return isinstance(getattr(request, "auth", None), ApiToken)


class ApiThrottle(throttling.SimpleRateThrottle):
    """Requests per minute: per person with a token, per client address without one."""

    def __init__(self) -> None:  # the rate is chosen per request, from the settings
        pass

    def allow_request(self, request: Request, view: Any) -> bool:
        per_minute = (
            settings.API_TOKEN_PER_MINUTE
            if holds_token(request)
            else settings.API_ANONYMOUS_PER_MINUTE
        )
        self.rate = f"{per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        if holds_token(request):
            return f"api-throttle:person:{request.user.pk}"
        return f"api-throttle:address:{client_address(request._request) or 'unknown'}"


class ApiPagination(pagination.PageNumberPagination):
    """``?page=N`` and ``?page_size=`` (up to ``API_MAX_PAGE_SIZE``)."""

    page_size_query_param = "page_size"

    @property
    def page_size(self) -> int:  # type: ignore[override]
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE


def csrf_checked(view: Any) -> Any:
    """Undo DRF's ``csrf_exempt``: the house rule is that no view is exempt, so a forged POST is
    refused by the CSRF check before any view runs (tests/security/test_csrf_and_login.py). The
    API reads only; a client sending anything but GET, HEAD or OPTIONS gets 403 from the check
    (405 if it passes it)."""
    view.csrf_exempt = False
    return view


def _exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's, except that a refused token or a throttled client keeps the request's transaction
    (``ATOMIC_REQUESTS``): a read changes nothing, and the refusal's audit record must stay."""
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.Throttled):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response({"detail": exc.detail}, status=exc.status_code, headers=headers)
    return exception_handler(exc, context)


@public  # who reads what is decided inside, by the token's holder (anonymous: public only)
class ApiView(GenericAPIView):
    """Every endpoint: GET, HEAD and OPTIONS; authenticated by token; throttled; paginated."""

    http_method_names = ["get", "head", "options"]
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ApiThrottle]
    pagination_class = ApiPagination

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return csrf_checked(super().as_view(**initkwargs))

    def get_exception_handler(self) -> Any:
        return _exception_handler

    def throttled(self, request: Request, wait: float | None) -> None:
        seconds = int(wait or 60) + 1
        raise exceptions.Throttled(
            wait=seconds,
            detail=_("Too many requests: try again in %(seconds)d seconds.") % {"seconds": seconds},
        )


class ApiListView(mixins.ListModelMixin, ApiView):
    """A list endpoint: paginated; its schema says so (each view writes its own ``get``)."""
