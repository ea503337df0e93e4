"""The commitments of the Partnership Working Code that a partnership's checklist covers.

The code and its commitments are loaded from the seed by the board's code import; the register
looks them up by (code slug, party, number) and never assumes their primary keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from compact.models import Commitment
from compact.models.codes import PARTNERSHIP_CODE_SLUG
from compact.platform.language import text_of

CODE_SLUG = PARTNERSHIP_CODE_SLUG
CODE_TITLE = "Partnership Working Code of Practice"


@dataclass(frozen=True)
class DefaultCommitment:
    party: str
    number: int
    short: str | Promise  # what the checklist asks, in a few words
    text: str  # the seed's wording, used only to create the commitment when it is missing


DEFAULT_COMMITMENTS: tuple[DefaultCommitment, ...] = (
    DefaultCommitment(
        Commitment.Party.ALL,
        2,
        _("Terms of reference mention the code"),
        "Make explicit mention of this code in appropriate documents (including individual "
        "partnership terms of reference, policy, press releases and publications) and agree to "
        "adhere to it",
    ),
    DefaultCommitment(
        Commitment.Party.PUBLIC,
        2,
        _("Third sector involved from the outset"),
        "Ensure that third sector organisations are involved in partnerships and joint working "
        "groups from the outset",
    ),
    DefaultCommitment(
        Commitment.Party.PUBLIC,
        3,
        _("Recruitment through VAMT by the agreed process"),
        "Liaise with Voluntary Action Merthyr Tydfil to establish the nature of third sector "
        "involvement in partnerships and joint working groups and use agreed recruitment "
        "processes in accordance with the process outlined in Appendix 1.",
    ),
    DefaultCommitment(
        Commitment.Party.ALL,
        5,
        _("Representatives accountable to wider interests"),
        "Recognise the need to have third sector representatives who are accountable to wider "
        "interests at all levels of partnerships and joint working groups",
    ),
    DefaultCommitment(
        Commitment.Party.ALL,
        9,
        _("Conflict of interest procedure adopted"),
        "Adopt and implement transparent procedures for addressing organisations' conflict of "
        "interests whether they are statutory, private or third sector",
    ),
    DefaultCommitment(
        Commitment.Party.ALL,
        6,
        _("Effectiveness reviewed"),
        "Review the effectiveness and quality of partnerships",
    ),
)

_ORDER = {(item.party, item.number): index for index, item in enumerate(DEFAULT_COMMITMENTS)}
_SHORT = {(item.party, item.number): item.short for item in DEFAULT_COMMITMENTS}


def default_commitments_q() -> Q:
    """Matches the six default commitments of the Partnership Working Code."""
    match = Q()
    for item in DEFAULT_COMMITMENTS:
        match |= Q(party=item.party, number=item.number)
    return Q(code__slug=CODE_SLUG) & match


def sort_key(commitment: Commitment) -> tuple[int, str, str, int]:
    """Default commitments first, in the checklist's order, then any others by reference."""
    if commitment.code.slug == CODE_SLUG:
        position = _ORDER.get((commitment.party, commitment.number))
        if position is not None:
            return (0, "", str(position).zfill(3), 0)
    return (1, commitment.code.slug, commitment.party, commitment.number)


def short_label(commitment: Commitment) -> str:
    """ "Terms of reference mention the code" for a default commitment, else its reference."""
    if commitment.code.slug == CODE_SLUG:
        short = _SHORT.get((commitment.party, commitment.number))
        if short:
            return str(short)
    return text_of(commitment, "text")[:80]
