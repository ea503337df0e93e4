"""The API's pages: the person's API tokens (make one, its secret shown once; list them;
revoke one) and the API's reference page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.forms.api_tokens import ApiTokenForm
from compact.platform.access import public, signed_in
from compact.platform.forms import apply_validation_error
from compact.selectors.api_tokens import api_tokens_of
from compact.services import api_tokens as services


def _page(
    request: HttpRequest, form: ApiTokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    response = render(
        request,
        "compact/api_tokens.html",
        {"form": form, "tokens": list(api_tokens_of(request.user)), "secret": secret},
        status=status,
    )
    # The page may show a new token's secret: no browser or proxy keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens and the form to make one; a new token's secret is shown once."""
    if request.method == "GET":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    try:
        token, secret = services.api_token_create(
            actor=request.user, request=request, **form.data_for_service()
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return _page(request, form, status=422)
    messages.success(
        request,
        _("Token “%(name)s” made. Copy it now: it is shown only this once.") % {"name": token.name},
    )
    return _page(request, ApiTokenForm(), secret=secret)


@signed_in
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own tokens (another person's: "no such token", unchanged)."""
    try:
        token = services.api_token_revoke(actor=request.user, token_id=pk, request=request)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
        )
    return redirect("api_tokens")


@public
@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    """The read-only API's endpoints, how to use a token, and the OpenAPI schema's address."""
    return render(
        request, "compact/api_reference.html", {"max_page_size": settings.API_MAX_PAGE_SIZE}
    )
