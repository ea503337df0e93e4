"""Test data for partnerships: factory_boy factories for partnerships, third-sector places,
compliance checks and reviews (plain creates: none of them is a procedure whose history a test
reads); the builder functions (``make_partnership``, ``make_place``, ``make_check``) are thin
calls to them."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from factory.django import DjangoModelFactory

from compact.models import CodeOfPractice, Commitment, Compact
from partnerships import checklist
from partnerships.models import (
    ComplianceCheck,
    Partnership,
    RegisterSettings,
    Review,
    ThirdSectorPlace,
)
from tests.compact.factories import CommitmentFactory, CompactFactory

TERMS_NAME = "partnerships/terms/access-test-terms.txt"


def code_commitments(compact: Compact) -> dict[tuple[str, int], Commitment]:
    """The Partnership Working Code's six checklist commitments, created if missing."""
    from partnerships.demo import ensure_code

    return ensure_code(compact)


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-").replace("'", "")


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    compact = factory.SubFactory(CompactFactory)
    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.LazyAttribute(lambda partnership: _slug(partnership.name))
    type = Partnership.Type.STRATEGIC


class PlaceFactory(DjangoModelFactory):
    """A third-sector place on a partnership (elected unless told)."""

    class Meta:
        model = ThirdSectorPlace

    partnership = factory.SubFactory(PartnershipFactory)
    kind = ThirdSectorPlace.Kind.ELECTED


class ComplianceCheckFactory(DjangoModelFactory):
    class Meta:
        model = ComplianceCheck

    partnership = factory.SubFactory(PartnershipFactory)
    commitment = factory.SubFactory(CommitmentFactory)
    status = ComplianceCheck.Status.MET
    checked_on = datetime.date(2009, 1, 1)


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    partnership = factory.SubFactory(PartnershipFactory)
    review_date = datetime.date(2009, 3, 1)
    reviewer = "Officers Group"
    findings = "Fine"
    rating = Review.Rating.EFFECTIVE


def make_partnership(
    compact: Compact, name: str = "Local Service Board", **fields: Any
) -> Partnership:
    fields["slug"] = fields.get("slug") or _slug(name)
    return PartnershipFactory(compact=compact, name=name, **fields)


def make_place(partnership: Partnership, **fields: Any) -> ThirdSectorPlace:
    return PlaceFactory(partnership=partnership, **fields)


def make_check(
    partnership: Partnership, commitment: Commitment, status: str, **fields: Any
) -> ComplianceCheck:
    return ComplianceCheckFactory(
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
    world.extra["review"] = ReviewFactory(partnership=partnership)
    world.extra["partnership"] = partnership
    return partnership


__all__ = ["CodeOfPractice", "checklist"]
