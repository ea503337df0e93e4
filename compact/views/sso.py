"""Single sign-on pages (issue 17): the start (off to the organisation's sign-in service) and
the callback (back, checked, signed in or refused). Both are public and not found while SSO is
off. The protocol and every check live in compact/platform/sso.py."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from compact.platform import sso
from compact.platform.access import public


def _refused(request: HttpRequest, refusal: sso.SsoRefused) -> HttpResponse:
    return render(
        request,
        "registration/sso_refused.html",
        {"message": refusal.message, "reason": sso.REASONS[refusal.reason]},
        status=refusal.status,
    )


@method_decorator(never_cache, name="dispatch")
class SsoStartView(OIDCAuthenticationRequestView):
    """Remembers a fresh state, nonce and PKCE verifier in the session and sends the browser
    to the organisation's sign-in service (mozilla-django-oidc's request view)."""

    get_settings = staticmethod(sso.setting)

    def __init__(self, **kwargs: Any) -> None:
        # The library reads the endpoints here; they wait until SSO is known to be on.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except sso.SsoRefused as refusal:
            return _refused(request, refusal)
        self.OIDC_RP_CLIENT_ID = sso.setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


sso_start = public(SsoStartView.as_view())


@public
@require_GET
@never_cache
def sso_callback(request: HttpRequest) -> HttpResponse:
    """Back from the organisation: signed in to the matched account, or a clear refusal."""
    if not sso.enabled():
        raise Http404
    try:
        next_url = sso.finish(request)
    except sso.SsoRefused as refusal:
        return _refused(request, refusal)
    return redirect(next_url)
