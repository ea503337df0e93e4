"""What the disputes services share: the date rule of every step and attaching supporting
documents."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.platform.history import save_with_history
from compact.platform.uploads import EVIDENCE, check_upload
from disputes.models import (
    Dispute,
    SupportingDocument,
)


def check_date(on: datetime.date, *, not_before: datetime.date | None, field: str) -> None:
    """Refuse a date in the future or before the current stage began."""
    if on > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before and on < not_before:
        raise ValidationError(
            {
                field: _("The date cannot be before %(date)s, when the current stage began.")
                % {"date": date_format(not_before, "d F Y")}
            }
        )


def attach(dispute: Dispute, uploads: Iterable[UploadedFile], actor: Any) -> None:
    """Check each upload and attach it to the dispute as a supporting document."""
    for upload in uploads:
        checked = check_upload(upload, kinds=EVIDENCE)
        document = SupportingDocument(
            dispute=dispute,
            original_name=checked.name[-200:] or "document",
            content_type=checked.content_type,
            size=len(checked.content),
            uploaded_by=actor,
        )
        document.file.save(f"evidence{checked.extension}", ContentFile(checked.content), save=False)
        save_with_history(document, actor=actor, reason="Supporting document attached")
