"""Account pages: the administrators' audit log (and its CSV export) and list of disabled
accounts (to enable one again), and the password change that ends the person's other sessions
and is recorded."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.forms.two_factor import AccountEnableForm
from compact.models import AccountEvent
from compact.platform.access import Role, roles_required, signed_in
from compact.platform.audit import record_account_event
from compact.platform.mfa import end_other_sessions
from compact.platform.sessions import sessions_of
from compact.platform.spreadsheets import csv_text
from compact.platform.throttle import client_address
from compact.services.accounts import account_active_set

PAGE_SIZE = 50
EXPORT_LIMIT = 10000


def _filtered(request: HttpRequest) -> tuple[Any, str, str]:
    person = request.GET.get("person", "").strip()[:150]
    kind = request.GET.get("kind", "")
    events = AccountEvent.objects.all()
    if person:
        events = events.filter(username__iexact=person)
    if kind in AccountEvent.Kind.values:
        events = events.filter(kind=kind)
    else:
        kind = ""
    return events.order_by("-when", "-pk"), person, kind


@roles_required(Role.ADMINISTRATOR)
@require_GET
def account_audit(request: HttpRequest) -> HttpResponse:
    """Administrators: the account audit log, newest first, by person and kind."""
    events, person, kind = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "compact/account_audit.html",
        {"page": page, "person": person, "kind": kind, "kinds": AccountEvent.Kind.choices},
    )


@roles_required(Role.ADMINISTRATOR)
@require_GET
def account_audit_csv(request: HttpRequest) -> HttpResponse:
    """Administrators: the filtered audit log as CSV (formula-escaped)."""
    events, _person, _kind = _filtered(request)
    rows: list[list[Any]] = [
        [_("When"), _("Username"), _("Kind"), _("Address"), _("Detail")],
        *(
            [
                event.when.isoformat(timespec="seconds"),
                event.username,
                event.get_kind_display(),
                event.address or "",
                event.detail,
            ]
            for event in events[:EXPORT_LIMIT]
        ),
    ]
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="account-audit.csv"'
    return response


@roles_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def accounts_disabled(request: HttpRequest) -> HttpResponse:
    """Administrators: the disabled accounts (unused, or by hand), each with a button to
    enable it again."""
    form = AccountEnableForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            person = get_user_model().objects.filter(pk=form.cleaned_data["user_id"]).first()
            try:
                if person is None:
                    raise ValidationError(_("There is no such account."))
                account_active_set(
                    actor=request.user,
                    user=person,
                    active=True,
                    reason=form.cleaned_data["reason"],
                    address=client_address(request),
                )
            except (PermissionDenied, ValidationError) as error:
                text = error.messages[0] if isinstance(error, ValidationError) else str(error)
                messages.error(request, text)
            else:
                messages.success(
                    request,
                    _("The account of %(user)s is enabled again.")
                    % {"user": person.get_username()},
                )
                return redirect("accounts_disabled")
        else:
            messages.error(request, _("Choose an account from the list; a reason is optional."))
    people = (
        get_user_model()
        .objects.filter(is_active=False)
        .annotate(
            disabled_at=Max(
                "account_events__when",
                filter=Q(account_events__kind=AccountEvent.Kind.ACCOUNT_DISABLED),
            )
        )
        .order_by("username")
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "compact/accounts_disabled.html",
        {"people": people, "inactive_days": settings.ACCOUNT_INACTIVE_DAYS},
        status=status,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, then: the person's other sessions are ended (this one is kept
    by ``update_session_auth_hash``) and the change is recorded."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        ended = end_other_sessions(user, keep=self.request.session.session_key)
        record_account_event(
            AccountEvent.Kind.PASSWORD_CHANGED,
            user=user,
            request=self.request,
            detail=f"{ended} other sessions ended" if ended else "",
        )
        return response


@signed_in
@require_GET
def my_sessions(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own sessions, with a button to sign out of all the others."""
    found = sessions_of(request.user, current_key=request.session.session_key)
    return render(request, "compact/my_sessions.html", {"sessions": found})


@signed_in
@require_POST
def my_sessions_end_others(request: HttpRequest) -> HttpResponse:
    """Sign out of every other session of the person (recorded)."""
    ended = end_other_sessions(request.user, keep=request.session.session_key)
    record_account_event(
        AccountEvent.Kind.SESSIONS_ENDED,
        user=request.user,
        request=request,
        detail=f"{ended} other sessions ended",
    )
    messages.success(
        request,
        ngettext(
            "%(count)d other session was signed out.",
            "%(count)d other sessions were signed out.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("my_sessions")
