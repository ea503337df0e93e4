"""Access to minutes, decisions and the decisions register (issue 16)."""

from typing import Any

from tests.access import OFFICERS, SIGNED_IN, Case
from tests.compact.access_cases import board_data, item, meeting


def _decision(world: Any) -> dict[str, Any]:
    from compact.models import Decision, Minutes

    data = board_data(world)
    if "decision" not in data:
        minutes, _created = Minutes.objects.get_or_create(meeting=data["meeting"])
        data["decision"] = Decision.objects.create(minutes=minutes, text="Agreed")
    return {"pk": data["decision"].pk}


CASES = {
    "compact:minutes_move": Case(
        allowed=OFFICERS, kwargs=meeting, method="post", data=lambda world: {"target": "signed"}
    ),
    "compact:minutes_amend": Case(
        allowed=OFFICERS, kwargs=lambda world: (_decision(world), meeting(world))[1]
    ),
    "compact:decision_add": Case(allowed=OFFICERS, kwargs=meeting),
    "compact:decision_delete": Case(allowed=OFFICERS, kwargs=_decision, method="post"),
    "compact:item_minutes_edit": Case(allowed=OFFICERS, kwargs=item),
    # Everyone signed in opens the register; each sees only their bodies' decisions
    # (tests/compact/test_minutes_decisions.py).
    "compact:decision_register": Case(allowed=SIGNED_IN),
    "compact:decision_register_csv": Case(allowed=SIGNED_IN),
    "compact:standard_items_edit": Case(
        allowed=OFFICERS, kwargs=lambda world: {"slug": world.board.slug}
    ),
}
