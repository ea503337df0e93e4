"""Background files: start one, watch it being made, download it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from compact.platform.access import signed_in
from compact.platform.background import (
    FileState,
    back_link,
    back_text,
    file_producer,
    generated_file_status,
    start_generated_file,
    status_url,
)


@signed_in
@require_POST
def file_start(request: HttpRequest) -> HttpResponse:
    """Queue a registered file (``kind``, ``key``) and go to its status page."""
    kind = request.POST.get("kind", "")
    key = request.POST.get("key", "")
    if file_producer(kind) is None:
        raise Http404
    try:
        result_id = start_generated_file(kind=kind, key=key, user=request.user)
    except ValidationError as exc:
        raise Http404 from exc
    except PermissionDenied:
        raise
    return redirect(status_url(result_id=result_id, kind=kind, key=key))


@signed_in
@require_GET
def file_status(request: HttpRequest, result_id: str) -> HttpResponse:
    """The "your file is being prepared" page; htmx polls it until the file is ready."""
    status = generated_file_status(result_id=result_id, user=request.user)
    if status is None:
        raise Http404
    template = "files/_file_status.html" if request.htmx else "files/file_status.html"
    back = back_link(request.GET.get("kind", ""), request.GET.get("key", ""))
    return render(
        request,
        template,
        {
            "status": status,
            "pending": status.state == FileState.PENDING,
            "what": back[0] if back else "",
            "back_url": back[1] if back else "",
            "back_text": back_text(request.GET.get("kind", "")),
        },
    )


@signed_in
@require_GET
def file_download(request: HttpRequest, result_id: str) -> FileResponse:
    status = generated_file_status(result_id=result_id, user=request.user)
    if status is None or status.state != FileState.READY:
        raise Http404
    return FileResponse(
        default_storage.open(status.path, "rb"), as_attachment=True, filename=status.filename
    )
