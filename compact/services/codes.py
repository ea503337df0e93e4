"""Writes for the codes of practice register."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from compact.models import CodeDocumentVersion, CodeOfPractice
from compact.permissions import is_officer
from compact.uploads import check_pdf_upload

EDITABLE = ("title", "kind", "status", "owner", "owner_body", "review_date", "summary")


def _require_officer(actor: Any) -> None:
    if actor is not None and not is_officer(actor):
        raise PermissionDenied(_("Only Compact officers can edit the codes of practice register."))


@transaction.atomic
def code_save(
    *, code: CodeOfPractice, actor: Any = None, reason: str = "", **fields: Any
) -> CodeOfPractice:
    """Create or change a register entry (status, owner, review date ...)."""
    _require_officer(actor)
    for name in EDITABLE:
        if name in fields:
            setattr(code, name, fields[name])
    code.full_clean()
    code._history_user = actor
    code._change_reason = reason or (
        "Register entry changed" if code.pk else "Register entry added"
    )
    code.save()
    return code


@transaction.atomic
def code_version_add(
    *,
    code: CodeOfPractice,
    label: str,
    date: datetime.date,
    text: str = "",
    upload: UploadedFile | None = None,
    notes: str = "",
    actor: Any = None,
) -> CodeDocumentVersion:
    """Add a version of a code's document: a PDF, its text, or both."""
    _require_officer(actor)
    version = CodeDocumentVersion(code=code, label=label, date=date, text=text, notes=notes)
    if upload is not None:
        try:
            checked = check_pdf_upload(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        version.file_sha256 = checked.sha256
        version.file.save(
            f"{code.slug}-{checked.sha256[:12]}.pdf", ContentFile(checked.content), save=False
        )
    version.full_clean()
    version._history_user = actor
    version._change_reason = "Version added"
    version.save()
    return version
