"""Board pack pages: build, circulate and download a meeting's pack."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compact.forms.meetings import CirculateForm, PackLanguageForm
from compact.models import BoardPack, Circulation, Meeting
from compact.papers.files import BOARD_PACK, pack_key
from compact.permissions import can_download_pack, can_prepare_meeting
from compact.platform.access import Role, roles_required, signed_in
from compact.platform.background import start_and_show
from compact.selectors import meetings as selectors
from compact.services import packs as services


@roles_required(Role.OFFICER)
@require_POST
@transaction.non_atomic_requests
def pack_build(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the pack's build and show its status page at once; the worker builds (or reuses)
    the version. Not one request-long transaction: the task is queued (and, with the inline
    backend of development and tests, the pack stored) without holding a lock on anything."""
    meeting = get_object_or_404(Meeting, pk=pk)
    if not can_prepare_meeting(request.user, meeting):
        raise Http404
    form = PackLanguageForm(request.POST)
    if not form.is_valid():
        for text in form.errors.get("language", []):
            messages.error(request, text)
        return redirect(reverse("compact:meeting_detail", kwargs={"pk": meeting.pk}) + "#pack")
    language = form.cleaned_data["language"]
    key = pack_key(meeting.pk, language) if language else str(meeting.pk)
    return start_and_show(request, kind=BOARD_PACK, key=key)


@roles_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def pack_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the newest pack version to the body's members (or those chosen)."""
    pack = get_object_or_404(BoardPack.objects.select_related("meeting__body"), pk=pk)
    members = selectors.members_to_circulate(pack.meeting)
    users = {member.person.user.pk: member.person.user for member in members}
    people = [
        (member.person.user.pk, f"{member.person.full_name} ({member.get_role_display()})")
        for member in members
    ]
    already = set(Circulation.objects.filter(pack=pack).values_list("recipient_id", flat=True))
    form = CirculateForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        chosen = [users[int(pk)] for pk in form.cleaned_data["recipients"]]
        try:
            sent = services.board_pack_circulate(
                pack=pack,
                recipients=chosen,
                link_for=lambda version: request.build_absolute_uri(version.get_absolute_url()),
                actor=request.user,
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(
                request,
                ngettext(
                    "Version %(version)s sent to %(count)s recipient.",
                    "Version %(version)s sent to %(count)s recipients.",
                    len(sent),
                )
                % {"version": pack.version, "count": len(sent)},
            )
            return redirect(
                reverse("compact:meeting_detail", kwargs={"pk": pack.meeting_id}) + "#pack"
            )
    return render(
        request,
        "compact/meetings/pack_circulate.html",
        {"form": form, "pack": pack, "meeting": pack.meeting, "already": already},
    )


@signed_in
@require_GET
def pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    pack = get_object_or_404(BoardPack.objects.select_related("meeting__body"), pk=pk)
    if not can_download_pack(request.user, pack):
        raise Http404
    try:
        handle = pack.file.open("rb")
    except OSError as exc:
        raise Http404(_("The pack file is missing; ask an officer to rebuild it.")) from exc
    services.board_pack_downloaded(pack=pack, user=request.user)
    return FileResponse(
        handle, as_attachment=True, filename=pack.filename, content_type="application/pdf"
    )
