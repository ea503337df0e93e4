"""Writes for the codes of practice register."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from compact.models import CodeDocumentVersion, CodeOfPractice, Commitment
from compact.models.codes import CODE_OF_CONDUCT_SLUG
from compact.platform.access import is_officer
from compact.platform.history import save_with_history, stamp_history
from compact.platform.uploads import PAPERS, check_upload
from compact.selectors import code_of_conduct_current, compact_current

EDITABLE = ("title", "title_cy", "kind", "status", "owner", "owner_body", "review_date",
            "summary", "summary_cy")  # fmt: skip


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
    save_with_history(
        code,
        actor=actor,
        reason=reason or ("Register entry changed" if code.pk else "Register entry added"),
    )
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
    text_cy: str = "",
    notes_cy: str = "",
) -> CodeDocumentVersion:
    """Add a version of a code's document: a PDF, its text (in English, Welsh or both), or
    both (officers)."""
    _require_officer(actor)
    return code_version_record(
        code=code,
        label=label,
        date=date,
        text=text,
        upload=upload,
        notes=notes,
        actor=actor,
        text_cy=text_cy,
        notes_cy=notes_cy,
    )


@transaction.atomic
def code_version_record(
    *,
    code: CodeOfPractice,
    label: str,
    date: datetime.date,
    text: str = "",
    upload: UploadedFile | None = None,
    notes: str = "",
    actor: Any = None,
    text_cy: str = "",
    notes_cy: str = "",
) -> CodeDocumentVersion:
    """``code_version_add`` for an app that has applied its own rule on who may do this (the
    representatives' Code of Conduct, published for signing by officers or administrators):
    the register stays the one list of a code's versions."""
    version = CodeDocumentVersion(
        code=code,
        label=label,
        date=date,
        text=text,
        notes=notes,
        text_cy=text_cy,
        notes_cy=notes_cy,
    )
    if upload is not None:
        try:
            checked = check_upload(upload, kinds=PAPERS)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        version.file_sha256 = checked.sha256
        version.file.save(
            f"{code.slug}-{checked.sha256[:12]}.pdf", ContentFile(checked.content), save=False
        )
    save_with_history(version, actor=actor, reason="Version added")
    return version


@transaction.atomic
def code_of_conduct_entry(*, actor: Any = None) -> CodeOfPractice:
    """The register's entry for the representatives' Code of Conduct, added to the Compact when
    the register has none yet (its versions are what representatives sign)."""
    code, _version = code_of_conduct_current()
    if code is not None:
        return code
    compact = compact_current()
    if compact is None:
        raise ValidationError(_("Set up the Compact before publishing its Code of Conduct."))
    code = CodeOfPractice(
        compact=compact,
        slug=CODE_OF_CONDUCT_SLUG,
        title="Third Sector Representatives' Code of Conduct and Agreement",
        kind=CodeOfPractice.Kind.CODE_OF_CONDUCT,
        status=CodeOfPractice.Status.AGREED,
    )
    save_with_history(code, actor=actor, reason="Added for the Code of Conduct to be signed")
    return code


@transaction.atomic
def commitment_save(
    *,
    commitment: Commitment,
    party: str,
    number: int,
    text: str,
    actor: Any = None,
    reason: str = "",
    text_cy: str | None = None,
) -> Commitment:
    """Add a commitment to a code or change one. Disputes and partnership checks cite it by
    reference, so they follow a change; the history keeps every earlier wording."""
    _require_officer(actor)
    adding = commitment.pk is None
    commitment.party, commitment.number, commitment.text = party, number, text.strip()
    if text_cy is not None:  # None: a caller that knows no Welsh leaves it as it was
        commitment.text_cy = text_cy.strip()
    save_with_history(
        commitment,
        actor=actor,
        reason=reason or ("Commitment added" if adding else "Commitment changed"),
    )
    return commitment


@transaction.atomic
def commitment_delete(*, commitment: Commitment, actor: Any = None, reason: str = "") -> None:
    """Remove a commitment nothing cites; one that a dispute or a partnership check cites
    stays (its wording can still change)."""
    _require_officer(actor)
    stamp_history(commitment, actor=actor, reason=reason or "Commitment deleted")
    try:
        with transaction.atomic():
            commitment.delete()
    except ProtectedError as exc:
        # Named generically: the apps that cite commitments sit above this one.
        counts = Counter(type(item)._meta for item in exc.protected_objects)
        uses = get_text_list(
            [
                f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
                for meta, count in sorted(counts.items(), key=lambda pair: pair[0].label)
            ],
            _("and"),
        )
        raise ValidationError(
            _(
                "%(commitment)s is cited by %(uses)s, so it stays in the register. "
                "Change its wording instead: the history keeps the old one."
            )
            % {"commitment": commitment.reference, "uses": uses}
        ) from exc
