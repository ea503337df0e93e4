"""Files made in the background: board packs, large PDFs, exports.

The request enqueues a task and returns at once with a status page; the page polls (htmx,
every 2 seconds) and shows a download link when the worker (``make worker``) has written the
file. There is no model of our own: the task queue's own result table (django-tasks' database
backend) holds the task's state, and the file itself lives in the default storage (a local
folder or an S3 bucket) at ``generated/<owner id>/<task id>/<file name>``. The owner's id in the
path is the access rule: a user only ever looks inside their own folder.

An app offers a file by registering a producer from its ``registrations.register()``::

    registry.register(FileProducer(
        kind="representatives.report_pdf", label=_("Representatives' report (PDF)"),
        produce=lambda key: ProducedFile("representatives-report.pdf", render_report_pdf()),
        roles=frozenset({Role.OFFICER, Role.BOARD}),
        back_url=lambda key: reverse("representatives:report"),
    ))

(``permitted`` adds an object-level check on the key, ``takes_owner`` hands the producer the
user who asked; see compact/papers/files.py), and a view starts one with
``start_and_show(request, kind=..., key=...)`` (queue, then redirect to the status page).

Queueing is a side effect, so it happens only on POST: a view that a link or a bookmark may
reach with GET calls ``offer_or_start(request, kind=..., key=...)`` instead, which on GET shows
a page with a button that POSTs back to the same address (query string included) and on POST
queues. A cross-site ``<img src=...>`` then starts nothing, and CSRF protects the POST.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext, TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from compact.platform import registry
from compact.platform.access import Role, has_role
from compact.platform.pdf.limits import pdf_time_limit

GENERATED_ROOT = "generated"
RESULT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@dataclass(frozen=True)
class ProducedFile:
    filename: str
    content: bytes


@dataclass(frozen=True)
class FileProducer:
    """Something a user may ask to have made in the background."""

    kind: str  # "compact.bodies_pdf"
    label: str
    produce: Callable[[str], ProducedFile]
    roles: frozenset[Role] | None = None  # None: any signed-in user
    # Object-level check, ``(user, key) -> bool``: run when the file is asked for and again by
    # the worker (the user's rights may have changed in between).
    permitted: Callable[[Any, str], bool] | None = None
    # The producer wants the user who asked (``produce(key, owner=user)``), e.g. to record them.
    takes_owner: bool = False
    # Where the status page links back to, ``(key) -> url``: the page the file belongs to.
    back_url: Callable[[str], str] | None = None
    # That link's words, naming the page ("Back to the compliance matrix").
    back_label: str | None = None

    @property
    def key(self) -> str:
        return self.kind


def file_producer(kind: str) -> FileProducer | None:
    return registry.get(FileProducer, kind)


class FileState(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class FileStatus:
    result_id: str
    state: FileState
    filename: str = ""
    path: str = ""


def _folder(owner_id: int, result_id: str) -> str:
    return f"{GENERATED_ROOT}/{int(owner_id)}/{result_id}"


@task(takes_context=True)
def generate_file_task(
    context: TaskContext, *, kind: str, key: str, owner_id: int, language: str = ""
) -> str:
    """Make the file, in the language of the person who asked, and store it; returns its path
    in the default storage."""
    from django.contrib.auth import get_user_model

    producer = file_producer(kind)
    if producer is None:
        raise LookupError(f"No file producer called {kind!r}")
    owner = get_user_model().objects.get(pk=owner_id)
    _check_allowed(producer, owner, key)
    # The worker may take longer over a PDF than a request may (PDF_BACKGROUND_TIMEOUT_SECONDS).
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        pdf_time_limit(settings.PDF_BACKGROUND_TIMEOUT_SECONDS),
    ):
        produced = (
            producer.produce(key, owner=owner)  # type: ignore[call-arg]
            if producer.takes_owner
            else producer.produce(key)
        )
    filename = get_valid_filename(produced.filename) or "file"
    path = f"{_folder(owner_id, str(context.task_result.id))}/{filename}"
    return default_storage.save(path, ContentFile(produced.content))


def _check_allowed(producer: FileProducer, user: Any, key: str) -> None:
    if not getattr(user, "is_active", False):
        raise PermissionDenied
    if producer.roles is not None and not has_role(user, *producer.roles):
        raise PermissionDenied
    if producer.permitted is not None and not producer.permitted(user, key):
        raise PermissionDenied


def start_generated_file(*, kind: str, key: str, user: Any) -> str:
    """Queue the file for the user, if their role (and the producer's object check) allows
    it; returns the task id."""
    producer = file_producer(kind)
    if producer is None:
        raise ValidationError(_("There is no such file to make."))
    _check_allowed(producer, user, str(key))
    result = generate_file_task.enqueue(
        kind=kind, key=str(key), owner_id=user.pk, language=translation.get_language() or ""
    )
    return str(result.id)


def status_url(*, result_id: str, kind: str, key: str) -> str:
    """The status page of a file, remembering what it is for the "back" link."""
    from urllib.parse import urlencode

    from django.urls import reverse

    query = urlencode({"kind": kind, "key": key})
    return reverse("files:file_status", kwargs={"result_id": result_id}) + "?" + query


def start_and_show(request: HttpRequest, *, kind: str, key: str = "") -> HttpResponse:
    """For views: queue the file for the signed-in user and send them to its status page."""
    from django.shortcuts import redirect

    result_id = start_generated_file(kind=kind, key=key, user=request.user)
    return redirect(status_url(result_id=result_id, kind=kind, key=key))


def offer_or_start(
    request: HttpRequest, *, kind: str, key: str = "", button: str | None = None
) -> HttpResponse:
    """For views reached by a link: on POST queue the file and show its status page (as
    ``start_and_show``); on GET show a page offering to make it, whose form POSTs back here.

    The offer is shown only to a user who may have the file (403 otherwise), so nobody is
    offered a button that would then refuse them. ``button`` is the submit button's text
    ("Make the PDF" unless given)."""
    from django.shortcuts import render

    if request.method == "POST":
        return start_and_show(request, kind=kind, key=key)
    producer = file_producer(kind)
    if producer is None:
        raise LookupError(f"No file producer called {kind!r}")
    _check_allowed(producer, request.user, str(key))
    back = back_link(kind, key)
    return render(
        request,
        "files/file_offer.html",
        {
            "label": producer.label,
            "action": request.get_full_path(),
            "button": button or _("Make the PDF"),
            "back_url": back[1] if back else "",
            "back_text": back_text(kind),
        },
    )


def back_link(kind: str, key: str) -> tuple[str, str] | None:
    """(label, url) of the page a file belongs to, or None."""
    from django.urls import NoReverseMatch

    producer = file_producer(kind)
    if producer is None or producer.back_url is None:
        return None
    try:
        return str(producer.label), producer.back_url(key)
    except (NoReverseMatch, LookupError, ValueError):
        return None


def back_text(kind: str) -> str:
    """The words of the link back to the page a file belongs to."""
    producer = file_producer(kind)
    if producer is not None and producer.back_label:
        return str(producer.back_label)
    return str(_("Back to the page you came from"))


def _stored_file(owner_id: int, result_id: str) -> str | None:
    folder = _folder(owner_id, result_id)
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return None
    return f"{folder}/{sorted(files)[0]}" if files else None


def generated_file_status(*, result_id: str, user: Any) -> FileStatus | None:
    """The state of one of the user's files, or None if there is no such file of theirs."""
    if not RESULT_ID.match(result_id) or not getattr(user, "is_authenticated", False):
        return None
    path = _stored_file(user.pk, result_id)
    if path:
        return FileStatus(result_id, FileState.READY, filename=path.rsplit("/", 1)[1], path=path)
    backend = default_task_backend
    if not backend.supports_get_result:
        return None
    try:
        result = backend.get_result(result_id)
    except (TaskResultDoesNotExist, ValidationError, ValueError):
        return None
    if (
        result.task.module_path != generate_file_task.module_path
        or result.kwargs.get("owner_id") != user.pk
    ):
        return None
    if result.status == TaskResultStatus.FAILED:
        return FileStatus(result_id, FileState.FAILED)
    return FileStatus(result_id, FileState.PENDING)
