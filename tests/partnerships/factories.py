"""Small builders for partnerships tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from compact.models import CodeOfPractice, Commitment, Compact
from partnerships import checklist
from partnerships.models import (
    ComplianceCheck,
    Partnership,
    RegisterSettings,
    Review,
    ThirdSectorPlace,
)

TERMS_NAME = "partnerships/terms/access-test-terms.txt"


def code_commitments(compact: Compact) -> dict[tuple[str, int], Commitment]:
    """The Partnership Working Code's six checklist commitments, created if missing."""
    from partnerships.demo import ensure_code

    return ensure_code(compact)


def make_partnership(
    compact: Compact, name: str = "Local Service Board", **fields: Any
) -> Partnership:
    defaults: dict[str, Any] = {
        "type": Partnership.Type.STRATEGIC,
        "slug": fields.pop("slug", None) or name.lower().replace(" ", "-").replace("'", ""),
    }
    defaults.update(fields)
    return Partnership.objects.create(compact=compact, name=name, **defaults)


def make_place(partnership: Partnership, **fields: Any) -> ThirdSectorPlace:
    fields.setdefault("kind", ThirdSectorPlace.Kind.ELECTED)
    return ThirdSectorPlace.objects.create(partnership=partnership, **fields)


def make_check(
    partnership: Partnership, commitment: Commitment, status: str, **fields: Any
) -> ComplianceCheck:
    fields.setdefault("checked_on", datetime.date(2009, 1, 1))
    return ComplianceCheck.objects.create(
        partnership=partnership, commitment=commitment, status=status, **fields
    )


def publish(compact: Compact, on: bool = True) -> None:
    RegisterSettings.objects.update_or_create(
        compact=compact, defaults={"publish_public_register": on}
    )


def access_partnership(world: Any) -> Partnership:
    """One partnership with a place, a review and a terms-of-reference file (for the walker)."""
    if "partnership" in world.extra:
        return world.extra["partnership"]
    code_commitments(world.compact)
    partnership = make_partnership(
        world.compact, "Access Test Partnership", lead_body=world.public_org
    )
    if not default_storage.exists(TERMS_NAME):
        default_storage.save(TERMS_NAME, ContentFile(b"Terms of reference"))
    partnership.terms_of_reference.name = TERMS_NAME
    partnership.save()
    world.extra["place"] = make_place(partnership, number_of_places=2)
    world.extra["review"] = Review.objects.create(
        partnership=partnership,
        review_date=datetime.date(2009, 3, 1),
        reviewer="Officers Group",
        findings="Fine",
        rating=Review.Rating.EFFECTIVE,
    )
    world.extra["partnership"] = partnership
    return partnership


__all__ = ["CodeOfPractice", "checklist"]
