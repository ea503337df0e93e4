"""The account audit log's one writer, and the receivers of Django's sign-in signals.
The receivers are connected in ``compact.registrations.register``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from compact.platform.throttle import client_address


def record_account_event(
    kind: str,
    *,
    user: Any = None,
    username: str = "",
    request: HttpRequest | None = None,
    address: str | None = None,
    detail: str = "",
) -> Any:
    """Write one :class:`compact.models.AccountEvent`. ``username`` defaults to the user's; the
    address is the request's client, or ``address`` where a service was given the client's
    address (services take no request), else None."""
    from compact.models.audit import AccountEvent

    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if not username and user is not None:
        username = user.get_username()
    if request is not None:
        address = client_address(request)
    return AccountEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        address=address,
        detail=(detail or "")[:200],
    )


def on_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from compact.models.audit import AccountEvent

    kind = AccountEvent.Kind.SIGN_IN
    if request is not None and getattr(request, "_compact_sso", False):
        kind = AccountEvent.Kind.SSO_SIGN_IN
    record_account_event(kind, user=user, request=request)


def on_signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from compact.models.audit import AccountEvent

    if user is None:
        return
    record_account_event(AccountEvent.Kind.SIGN_OUT, user=user, request=request)


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from django.contrib.auth import get_user_model

    from compact.models.audit import AccountEvent

    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    record_account_event(
        AccountEvent.Kind.SIGN_IN_FAILED, user=user, username=username, request=request
    )
