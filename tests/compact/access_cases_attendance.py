"""Access to attendance and the register of interests."""

from __future__ import annotations

from typing import Any

from tests.access import ANONYMOUS, BOARD_AND_OFFICERS, EVERYONE, OFFICERS, SIGNED_IN, Case
from tests.compact.access_cases import board_data, meeting


def _answer_link(world: Any) -> dict[str, Any]:
    from compact.services.attendance import answer_token

    found = board_data(world)["meeting"]
    return {"pk": found.pk, "token": answer_token(found, world.people["board"])}


def _board_interest(world: Any) -> dict[str, Any]:
    from compact.services.interests import interest_declare

    if "interest" not in world.extra:
        world.extra["interest"] = interest_declare(
            person=world.people["board"], description="Trustee"
        )
    return {"pk": world.extra["interest"].pk}


def _public_board(world: Any) -> dict[str, Any]:
    world.board.meetings_public = True
    world.board.save()
    return {"slug": world.board.slug}


CASES = {
    # A member answers for themselves; others who see the meeting are told they are not a member.
    "compact:attendance_answer": Case(
        allowed=BOARD_AND_OFFICERS,
        kwargs=meeting,
        method="post",
        data=lambda world: {"answer": "attending"},
    ),
    # The signed link is the member's key: anyone holding it, unless signed in as someone else
    # (tests/compact/test_attendance.py: expired, altered, another meeting's).
    "compact:attendance_answer_link": Case(
        allowed=frozenset({ANONYMOUS, "board"}), kwargs=_answer_link
    ),
    "compact:attendance_register": Case(allowed=OFFICERS, kwargs=meeting),
    "compact:attendance_report": Case(allowed=OFFICERS),
    "compact:my_interests": Case(allowed=SIGNED_IN),
    "compact:interests_confirm": Case(allowed=SIGNED_IN, method="post"),
    # One's own interest, or an officer; anyone else: not found.
    "compact:interest_withdraw": Case(
        allowed=BOARD_AND_OFFICERS, kwargs=_board_interest, method="post"
    ),
    "compact:interest_register": Case(allowed=OFFICERS),
    # Published for a body whose meetings are public (others: not found).
    "compact:body_interests": Case(allowed=EVERYONE, kwargs=_public_board),
}
