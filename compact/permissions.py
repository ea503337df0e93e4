"""Object rules for meetings, minutes and board packs (``rules`` predicates).

Officers prepare everything. Members of a body (a current ``Membership``, or one that covered
the meeting's date) see its meetings, approved minutes and packs; a pack's recipients can
always download the version they were sent.

Permission names avoid Django's model permissions (``compact.view_meeting``), which the
Administrators group holds for the admin site and which must not open these pages.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q
from django.utils import timezone

from compact.minutes_procedure import READABLE_BY_MEMBERS
from compact.models import BoardPack, Circulation, Meeting, Membership, Minutes, Paper
from compact.papers import PaperProvider
from compact.platform import registry
from compact.platform.access import is_officer


def _member_of_body(user: Any, body_id: int, on_dates: list[Any]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    during = Q()
    for day in on_dates:
        during |= Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    return Membership.objects.filter(during, person__user=user, body_id=body_id).exists()


@rules.predicate
def is_member_of_meeting_body(user: Any, meeting: Meeting | None) -> bool:
    if meeting is None:
        return False
    cache = getattr(user, "_compact_body_cache", None)
    if cache is None:
        cache = {}
        if getattr(user, "is_authenticated", False):
            user._compact_body_cache = cache
    key = (meeting.body_id, meeting.date)
    if key not in cache:
        cache[key] = _member_of_body(user, meeting.body_id, [meeting.date, timezone.localdate()])
    return cache[key]


@rules.predicate
def is_pack_member(user: Any, pack: BoardPack | None) -> bool:
    return pack is not None and is_member_of_meeting_body(user, pack.meeting)


@rules.predicate
def is_pack_recipient(user: Any, pack: BoardPack | None) -> bool:
    if pack is None or not getattr(user, "is_authenticated", False):
        return False
    return Circulation.objects.filter(pack=pack, recipient=user).exists()


@rules.predicate
def is_circulated_minutes_member(user: Any, minutes: Minutes | None) -> bool:
    """Members read minutes once they are circulated to them (drafts stay with officers)."""
    return (
        minutes is not None
        and minutes.status in READABLE_BY_MEMBERS
        and is_member_of_meeting_body(user, minutes.meeting)
    )


RULES = {
    "compact.meeting_see": is_officer | is_member_of_meeting_body,
    "compact.meeting_prepare": is_officer,
    "compact.minutes_read": is_officer | is_circulated_minutes_member,
    "compact.board_pack_download": is_officer | is_pack_member | is_pack_recipient,
    "compact.code_register_edit": is_officer,
}


def register_rules() -> None:
    """Install the rules above (from ``compact.registrations``; set, so running twice is safe)."""
    for name, predicate in RULES.items():
        rules.set_perm(name, predicate)


def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    return user.has_perm("compact.meeting_see", meeting)


def can_prepare_meeting(user: Any, meeting: Meeting | None = None) -> bool:
    return user.has_perm("compact.meeting_prepare", meeting)


def can_view_minutes(user: Any, minutes: Minutes) -> bool:
    return user.has_perm("compact.minutes_read", minutes)


def can_download_pack(user: Any, pack: BoardPack) -> bool:
    return user.has_perm("compact.board_pack_download", pack)


def can_read_paper(user: Any, paper: Paper) -> bool:
    """Meeting access is checked by the caller; a generated paper also carries its provider's
    own rule (e.g. the representatives' report is for officers and the board only)."""
    if paper.kind != Paper.Kind.GENERATED:
        return True
    provider = registry.get(PaperProvider, paper.provider_key)
    return provider is None or provider.readable_by(user)
