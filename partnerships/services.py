"""Writes to the partnerships register. Each function checks permission, validates, writes in one
transaction and records who did it and why in the history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from compact.models import Commitment, Compact, Organisation
from compact.platform.history import stamp_history
from compact.platform.locking import EditConflict, check_version
from compact.platform.uploads import DOCUMENTS, check_upload
from partnerships.models import (
    ComplianceCheck,
    Partnership,
    RegisterSettings,
    Review,
    ThirdSectorPlace,
)
from partnerships.permissions import require_register_editor
from partnerships.selectors import checklist_version

# What an editor changes on each record: the fields an edit conflict compares and merges (the
# terms of reference file is not merged: an upload cannot be carried over to the merge form).
PARTNERSHIP_FIELDS = (
    "name",
    "name_cy",
    "type",
    "parent",
    "lead_body",
    "purpose",
    "purpose_cy",
    "meeting_frequency",
    "coverage",
    "other_cvcs",
    "status",
    "contact",
    "terms_of_reference_date",
    "published",
)
PLACE_FIELDS = (
    "title",
    "title_cy",
    "kind",
    "number_of_places",
    "has_deputy",
    "term_months",
    "role_description",
    "role_description_cy",
)
REVIEW_FIELDS = (
    "review_date",
    "reviewer",
    "rating",
    "findings",
    "findings_cy",
    "follow_up_actions",
    "follow_up_actions_cy",
    "follow_up_by",
)

# Words the register's own URLs use after /partnerships/.
RESERVED_SLUGS = frozenset({"add", "import", "settings", "matrix", "public", "places", "reviews"})


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "partnership"
    taken = set(RESERVED_SLUGS) | set(
        Partnership.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def validate_other_cvcs(*, coverage: str, other_cvcs: Iterable[Organisation]) -> list[str]:
    """Regional partnerships must name the other counties' CVCs to consult; county ones none."""
    cvcs = list(other_cvcs)
    errors = []
    if coverage == Partnership.Coverage.REGIONAL and not cvcs:
        errors.append(
            _(
                "A regional partnership must name the County Voluntary Councils of the other "
                "counties that VAMT consults (Regional Arrangements)."
            )
        )
    if coverage == Partnership.Coverage.COUNTY and cvcs:
        errors.append(
            _(
                "Only regional partnerships consult other counties' CVCs: choose none, or set "
                "the coverage to regional."
            )
        )
    not_third = [str(org) for org in cvcs if org.sector != Organisation.Sector.THIRD]
    if not_third:
        errors.append(
            _("%(names)s is not a third-sector organisation, so cannot be a CVC.")
            % {"names": ", ".join(not_third)}
        )
    return errors


def _store_terms(partnership: Partnership) -> None:
    """A newly chosen terms of reference goes through the one upload check, and its checked
    bytes are stored under our own name; the file it replaces (or that was cleared) is deleted
    once the change is committed, so no superseded copy is left behind on the server."""
    previous = (
        Partnership.objects.filter(pk=partnership.pk)
        .values_list("terms_of_reference", flat=True)
        .first()
        if partnership.pk
        else None
    )
    field = partnership.terms_of_reference
    if field and not field._committed:
        try:
            checked = check_upload(field.file, kinds=DOCUMENTS)
        except ValidationError as error:
            raise ValidationError({"terms_of_reference": error.messages}) from error
        field.save(
            f"{partnership.slug}-{checked.sha256[:12]}{checked.extension}",
            ContentFile(checked.content),
            save=False,
        )
    if previous and previous != field.name:
        transaction.on_commit(lambda: field.storage.delete(previous))


def _next_version(
    edited: Partnership | ThirdSectorPlace | Review,
    *,
    expected_version: int | None,
    fields: Sequence[str],
    values: Mapping[str, Any] | None = None,
) -> None:
    """Lock the saved record and refuse a stale edit: :class:`EditConflict` (carrying what is
    saved now and what the editor submitted) unless it is still at ``expected_version`` (None:
    no check, for trusted callers). The edit then takes the next version."""
    locked = type(edited).objects.select_for_update().get(pk=edited.pk)
    submitted = {
        name: (values[name] if values and name in values else getattr(edited, name))
        for name in fields
    }
    check_version(locked, expected_version=expected_version, submitted=submitted)
    edited.version = locked.version + 1


def _validate_partnership(partnership: Partnership, other_cvcs: Sequence[Organisation]) -> None:
    errors: dict[str, list[str]] = {}
    try:
        partnership.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
    cvc_errors = validate_other_cvcs(coverage=partnership.coverage, other_cvcs=other_cvcs)
    if cvc_errors:
        errors.setdefault("other_cvcs", []).extend(cvc_errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def partnership_create(
    *,
    partnership: Partnership,
    other_cvcs: Sequence[Organisation] = (),
    actor: Any,
    reason: str = "",
) -> Partnership:
    """Add a partnership to the register; sub groups name their parent, regional ones the CVCs."""
    require_register_editor(actor)
    if not partnership.slug:
        partnership.slug = unique_slug(partnership.name)
    _validate_partnership(partnership, other_cvcs)
    _store_terms(partnership)
    stamp_history(partnership, actor=actor, reason=reason or _("Added to the register"))
    partnership.save()
    partnership.other_cvcs.set(other_cvcs)
    return partnership


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    other_cvcs: Sequence[Organisation],
    actor: Any,
    expected_version: int | None = None,
    reason: str = "",
) -> Partnership:
    """Change a partnership unless someone else saved it since ``expected_version`` (then
    :class:`EditConflict`, and nothing changes)."""
    require_register_editor(actor)
    _next_version(
        partnership,
        expected_version=expected_version,
        fields=PARTNERSHIP_FIELDS,
        values={"other_cvcs": sorted(other_cvcs, key=lambda organisation: organisation.pk)},
    )
    _validate_partnership(partnership, other_cvcs)
    _store_terms(partnership)
    stamp_history(partnership, actor=actor, reason=reason or _("Edited"))
    partnership.save()
    partnership.other_cvcs.set(other_cvcs)
    return partnership


@transaction.atomic
def place_save(
    *,
    place: ThirdSectorPlace,
    actor: Any,
    expected_version: int | None = None,
    reason: str = "",
) -> ThirdSectorPlace:
    """Define or change a third-sector place on a partnership; a change is refused with
    :class:`EditConflict` if someone else saved the place since ``expected_version``."""
    require_register_editor(actor)
    if place.pk is not None:
        _next_version(place, expected_version=expected_version, fields=PLACE_FIELDS)
    if place.number_of_places < 1:
        raise ValidationError({"number_of_places": _("A place needs at least one seat.")})
    place.full_clean()
    stamp_history(
        place, actor=actor, reason=reason or (_("Place edited") if place.pk else _("Place added"))
    )
    place.save()
    return place


@dataclass(frozen=True)
class ChecklistEntry:
    """What an officer recorded against one commitment."""

    commitment: Commitment
    status: str
    evidence: str = ""
    checked_on: datetime.date | None = None


@transaction.atomic
def compliance_checklist_record(
    *,
    partnership: Partnership,
    entries: Sequence[ChecklistEntry],
    actor: Any,
    seen_version: int | None = None,
    reason: str = "",
) -> list[ComplianceCheck]:
    """Record the checklist: each changed entry is saved with the officer who checked it; a
    single bad entry saves nothing."""
    require_register_editor(actor)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    if seen_version is not None and checklist_version(partnership) != seen_version:
        raise ValidationError(
            _(
                "Someone else saved this checklist after you opened it. Nothing was saved: "
                "reload the page to see their entries, then make your change again."
            )
        )
    existing = {
        check.commitment_id: check
        for check in ComplianceCheck.objects.filter(partnership=partnership)
    }
    to_save: list[ComplianceCheck] = []
    errors: dict[str, list[str]] = {}
    for entry in entries:
        check = existing.get(entry.commitment.pk) or ComplianceCheck(
            partnership=partnership, commitment=entry.commitment
        )
        changed = (
            check.pk is None
            or check.status != entry.status
            or check.evidence != entry.evidence
            or check.checked_on != entry.checked_on
        )
        if not changed:
            continue
        if (
            check.pk is None
            and entry.status == ComplianceCheck.Status.NOT_ASSESSED
            and not (entry.evidence or entry.checked_on)
        ):
            continue  # nothing to record yet
        check.status, check.evidence, check.checked_on = (
            entry.status,
            entry.evidence,
            entry.checked_on,
        )
        check.checked_by = actor if getattr(actor, "is_authenticated", False) else None
        try:
            check.full_clean()
        except ValidationError as exc:
            for message in exc.messages:
                errors.setdefault(str(entry.commitment.pk), []).append(
                    f"{entry.commitment.reference}: {message}"
                )
            continue
        to_save.append(check)
    if errors:
        raise ValidationError(errors)
    for check in to_save:
        stamp_history(check, actor=actor, reason=reason or _("Checklist updated"))
        check.save()
    return to_save


@transaction.atomic
def review_save(
    *, review: Review, actor: Any, expected_version: int | None = None, reason: str = ""
) -> Review:
    """Record (or correct) a review of a partnership's effectiveness and quality; a correction
    is refused with :class:`EditConflict` if someone else saved the review since
    ``expected_version``."""
    require_register_editor(actor)
    if review.pk is not None:
        _next_version(review, expected_version=expected_version, fields=REVIEW_FIELDS)
    review.full_clean()
    stamp_history(
        review,
        actor=actor,
        reason=reason or (_("Review edited") if review.pk else _("Review recorded")),
    )
    review.save()
    return review


@transaction.atomic
def register_settings_update(
    *, compact: Compact, publish_public_register: bool, actor: Any
) -> RegisterSettings:
    """Choose whether the Compact publishes its register on the public page."""
    require_register_editor(actor)
    settings, _created = RegisterSettings.objects.select_for_update().get_or_create(compact=compact)
    settings.publish_public_register = publish_public_register
    settings.full_clean()
    stamp_history(
        settings,
        actor=actor,
        reason=(
            _("Public register published")
            if publish_public_register
            else _("Public register hidden")
        ),
    )
    settings.save()
    return settings


__all__ = [
    "PARTNERSHIP_FIELDS",
    "PLACE_FIELDS",
    "REVIEW_FIELDS",
    "ChecklistEntry",
    "EditConflict",
    "compliance_checklist_record",
    "partnership_create",
    "partnership_update",
    "place_save",
    "register_settings_update",
    "review_save",
    "unique_slug",
    "validate_other_cvcs",
]
