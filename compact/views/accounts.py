"""Account pages: the administrators' audit log (and its CSV export), and the password change
that ends the person's other sessions and is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from compact.models import AccountEvent
from compact.platform.access import Role, roles_required, signed_in
from compact.platform.audit import record_account_event
from compact.platform.mfa import end_other_sessions
from compact.platform.sessions import sessions_of
from compact.platform.spreadsheets import csv_text

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
