"""Demo data: the partnerships the seed documents name, with plausible places, checklist
entries and a review. Everything is get-or-create on natural keys, so loading twice changes
nothing (and a code loaded first by the board's import is reused, never duplicated)."""

from __future__ import annotations

import datetime
from typing import Any

from compact.models import CodeOfPractice, Commitment
from partnerships import checklist
from partnerships.models import (
    ComplianceCheck,
    Partnership,
    RegisterSettings,
    Review,
    ThirdSectorPlace,
)

T = Partnership.Type
K = ThirdSectorPlace.Kind
S = ComplianceCheck.Status

# slug, name, type, parent slug, lead (short name), coverage, other CVCs, status, contact
# initials, meets, purpose, places [(kind, number, deputy, title, term months)]
PARTNERSHIPS: list[tuple[Any, ...]] = [
    (
        "local-service-board",
        "Merthyr Tydfil Local Service Board",
        T.STRATEGIC,
        None,
        "MTCBC",
        "county",
        [],
        "active",
        "BO",
        "Quarterly",
        "Leaders of the public services in Merthyr Tydfil working together on the shared "
        "priorities of the Community Strategy.",
        [(K.VAMT_CHIEF_OFFICER, 1, False, "VAMT Chief Officer", None)],
    ),
    (
        "community-strategy-partnership",
        "Community Strategy Partnership",
        T.STRATEGIC,
        None,
        "MTCBC",
        "county",
        [],
        "active",
        "JS",
        "Every two months",
        "Owns and monitors the Community Strategy for Merthyr Tydfil.",
        [
            (K.VAMT_CHIEF_OFFICER, 1, False, "VAMT Chief Officer", None),
            (K.ELECTED, 2, True, "Third-sector representatives", 24),
        ],
    ),
    (
        "compact-board",
        "Merthyr Tydfil Compact Board",
        T.STRATEGIC,
        None,
        "MTCBC",
        "county",
        [],
        "active",
        "AH",
        "Quarterly",
        "The delivery mechanism for the public sector's decision making in relation to the "
        "third sector; monitors the Compact Implementation Plan and its codes of practice.",
        [
            (K.VAMT_CHIEF_OFFICER, 1, False, "VAMT Chief Officer (chair)", None),
            (K.ELECTED, 3, False, "Third-sector representatives", 24),
        ],
    ),
    (
        "third-sector-leadership-group",
        "Third Sector Leadership Group",
        T.FORUM,
        None,
        None,
        "county",
        [],
        "active",
        "ID",
        "Quarterly",
        "Reference group of third-sector representatives on strategic partnerships, LHB and "
        "Communities First partnerships, for discussion and monitoring of their work.",
        [(K.ELECTED, 6, False, "Representatives on strategic partnerships", 24)],
    ),
    (
        "health-social-care-forum",
        "VAMT Health and Social Care Forum",
        T.FORUM,
        None,
        None,
        "county",
        [],
        "active",
        "CD",
        "Every two months",
        "VAMT's forum for third-sector organisations working in health and social care; gives "
        "representatives their mandate.",
        [(K.VAMT_STAFF, 1, False, "VAMT development officer (supporting)", None)],
    ),
    (
        "children-young-people-forum",
        "VAMT Children and Young People Forum",
        T.FORUM,
        None,
        None,
        "county",
        [],
        "active",
        "CD",
        "Every two months",
        "VAMT's forum for third-sector organisations working with children and young people.",
        [(K.VAMT_STAFF, 1, False, "VAMT development officer (supporting)", None)],
    ),
    (
        "gurnos-communities-first",
        "Gurnos Communities First Partnership",
        T.JOINT_PROJECT,
        None,
        "MTCBC",
        "county",
        [],
        "active",
        None,
        "Monthly",
        "Communities First partnership of residents, community groups and public bodies for "
        "the Gurnos estate.",
        [(K.ELECTED, 3, False, "Community and voluntary sector places", 12)],
    ),
    (
        "penydarren-communities-first",
        "Penydarren Communities First Partnership",
        T.JOINT_PROJECT,
        None,
        "MTCBC",
        "county",
        [],
        "dormant",
        None,
        "Monthly",
        "Communities First partnership for Penydarren (not meeting while its plan is renewed).",
        [(K.ELECTED, 2, False, "Community and voluntary sector places", 12)],
    ),
    (
        "heads-of-the-valleys",
        "Heads of the Valleys Programme Partnership",
        T.STRATEGIC,
        None,
        "WAG",
        "regional",
        ["Interlink"],
        "active",
        None,
        "Twice a year",
        "Regional regeneration programme across the Heads of the Valleys local authorities.",
        [(K.ELECTED, 1, True, "Third-sector representative for Merthyr Tydfil", 24)],
    ),
    (
        "cwm-taf-health-partnership",
        "Cwm Taf Health, Social Care and Well-being Partnership",
        T.STRATEGIC,
        None,
        "LHB",
        "regional",
        ["Interlink"],
        "active",
        "SS",
        "Quarterly",
        "Regional partnership, coterminous with the Health Board, for the health, social care "
        "and well-being strategy of Merthyr Tydfil and Rhondda Cynon Taf.",
        [
            (K.ELECTED, 1, True, "Third-sector representative (Merthyr Tydfil)", 24),
            (K.SPECIALIST, 1, False, "Carers' perspective (inherent membership)", None),
        ],
    ),
    (
        "older-people-commissioning-group",
        "Older People's Joint Commissioning Group",
        T.PLANNING,
        None,
        "MTCBC",
        "county",
        [],
        "active",
        "MM",
        "Monthly",
        "Plans and commissions services for older people jointly for the council and the LHB.",
        [(K.VAMT_STAFF, 1, False, "VAMT staff (impartial viewpoint)", None)],
    ),
    (
        "healthy-communities-sub-group",
        "Healthy Communities Thematic Group",
        T.SUB_GROUP,
        "community-strategy-partnership",
        "LHB",
        "county",
        [],
        "active",
        "SS",
        "Every two months",
        "Detailed work on the health theme of the Community Strategy, reporting to the "
        "Community Strategy Partnership.",
        [(K.ELECTED, 1, False, "Third-sector representative", 24)],
    ),
]

# slug -> [(party, number, status, evidence, date)]
CHECKS: dict[str, list[tuple[str, int, str, str, datetime.date]]] = {
    "local-service-board": [
        (
            "all",
            2,
            S.MET,
            "Terms of reference cite the Compact codes.",
            datetime.date(2009, 1, 15),
        ),
        ("public", 2, S.MET, "VAMT Chief Officer a founding member.", datetime.date(2009, 1, 15)),
        (
            "all",
            9,
            S.PARTLY,
            "Declarations taken at meetings; no written procedure yet.",
            datetime.date(2009, 1, 15),
        ),
    ],
    "community-strategy-partnership": [
        (
            "all",
            2,
            S.MET,
            "Revised terms of reference refer to the code.",
            datetime.date(2009, 2, 2),
        ),
        (
            "public",
            3,
            S.MET,
            "Representatives elected through the VAMT forums last year.",
            datetime.date(2009, 2, 2),
        ),
        (
            "all",
            5,
            S.MET,
            "Representatives report back to the Leadership Group.",
            datetime.date(2009, 2, 2),
        ),
        (
            "all",
            6,
            S.MET,
            "Reviewed by the Compact Officers Group.",
            datetime.date(2009, 3, 12),
        ),
    ],
    "older-people-commissioning-group": [
        (
            "all",
            2,
            S.NOT_MET,
            "Terms of reference do not mention the code.",
            datetime.date(2009, 1, 20),
        ),
        (
            "public",
            2,
            S.PARTLY,
            "VAMT invited after the group's second meeting.",
            datetime.date(2009, 1, 20),
        ),
    ],
    "cwm-taf-health-partnership": [
        (
            "public",
            3,
            S.PARTLY,
            "Interlink consulted; Merthyr seat filled without an election.",
            datetime.date(2009, 1, 28),
        ),
    ],
}


def ensure_code(compact: Any) -> dict[tuple[str, int], Commitment]:
    """The Partnership Working Code and its six checklist commitments, created if missing."""
    code, _created = CodeOfPractice.objects.get_or_create(
        slug=checklist.CODE_SLUG,
        defaults={
            "compact": compact,
            "title": checklist.CODE_TITLE,
            "kind": CodeOfPractice.Kind.CODE,
            "status": CodeOfPractice.Status.AGREED,
        },
    )
    found = {}
    for item in checklist.DEFAULT_COMMITMENTS:
        commitment, _created = Commitment.objects.get_or_create(
            code=code, party=item.party, number=item.number, defaults={"text": item.text}
        )
        found[(str(item.party), item.number)] = commitment
    return found


def load(context: Any) -> None:
    compact = context.compact
    orgs, people = context.organisations, context.people
    officer = context.users.get("officer")
    commitments = ensure_code(compact)
    RegisterSettings.objects.get_or_create(
        compact=compact, defaults={"publish_public_register": True}
    )
    by_slug: dict[str, Partnership] = {}
    for (
        slug,
        name,
        kind,
        parent,
        lead,
        coverage,
        cvcs,
        status,
        contact,
        meets,
        purpose,
        places,
    ) in PARTNERSHIPS:
        partnership, created = Partnership.objects.get_or_create(
            slug=slug,
            defaults={
                "compact": compact,
                "name": name,
                "type": kind,
                "parent": by_slug.get(parent) if parent else None,
                "lead_body": orgs.get(lead) if lead else None,
                "coverage": coverage,
                "status": status,
                "contact": people.get(contact) if contact else None,
                "meeting_frequency": meets,
                "purpose": purpose,
                "terms_of_reference_date": context.date(datetime.date(2008, 9, 1)),
            },
        )
        if created:
            partnership.other_cvcs.set([orgs[short] for short in cvcs if short in orgs])
        by_slug[slug] = partnership
        for place_kind, number, deputy, title, term in places:
            ThirdSectorPlace.objects.get_or_create(
                partnership=partnership,
                kind=place_kind,
                title=title,
                defaults={
                    "number_of_places": number,
                    "has_deputy": deputy,
                    "term_months": term,
                    "role_description": "Represents the views and interests of the third sector "
                    "and reports back through the appropriate VAMT forum.",
                    "role_description_cy": "Yn cynrychioli safbwyntiau a buddiannau'r trydydd "
                    "sector ac yn adrodd yn ôl drwy fforwm priodol VAMT.",
                },
            )
    for slug, entries in CHECKS.items():
        for party, number, status, evidence, checked_on in entries:
            ComplianceCheck.objects.get_or_create(
                partnership=by_slug[slug],
                commitment=commitments[(party, number)],
                defaults={
                    "status": status,
                    "evidence": evidence,
                    "checked_on": context.date(checked_on),
                    "checked_by": officer,
                },
            )
    Review.objects.get_or_create(
        partnership=by_slug["community-strategy-partnership"],
        review_date=context.date(datetime.date(2009, 3, 12)),
        defaults={
            "reviewer": "Compact Officers Group",
            "findings": "Third-sector representatives are well briefed and report back through "
            "the Leadership Group; papers often arrive too late for the forums to be consulted.",
            "rating": Review.Rating.MOSTLY,
            "follow_up_actions": "Agree a papers deadline of ten working days before meetings.",
            "findings_cy": "Mae cynrychiolwyr y trydydd sector wedi'u briffio'n dda ac yn adrodd "
            "yn ôl drwy'r Grŵp Arwain; mae papurau'n aml yn cyrraedd yn rhy hwyr i ymgynghori â'r "
            "fforymau.",
            "follow_up_actions_cy": "Cytuno ar derfyn amser ar gyfer papurau, deg diwrnod gwaith "
            "cyn cyfarfodydd.",
            "follow_up_by": context.date(datetime.date(2009, 6, 30)),
        },
    )
    context.write(f"{len(by_slug)} partnerships in the register.")
