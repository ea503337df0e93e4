"""The three-way merge behind the shared conflict page
(compact.platform.locking.three_way_merge): pure, no database."""

from __future__ import annotations

from compact.platform.locking import three_way_merge

FIELDS = ("timescale", "progress", "status")
ANCESTOR = {"timescale": "Dec 07", "progress": "Drafted", "status": "not_started"}


def merge(mine: dict, theirs: dict, ancestor: dict | None = ANCESTOR):  # type: ignore[no-untyped-def]
    return three_way_merge(
        ancestor=ancestor, mine={**ANCESTOR, **mine}, theirs={**ANCESTOR, **theirs}, fields=FIELDS
    )


def test_a_field_changed_on_one_side_only_takes_that_side() -> None:
    result = merge(mine={"status": "in_progress"}, theirs={"timescale": "Mar 08"})
    assert result.merged == {"timescale": "Mar 08", "progress": "Drafted", "status": "in_progress"}
    assert result.sides == {"timescale": "theirs", "progress": "neither", "status": "mine"}
    assert result.conflicts == []


def test_a_field_changed_the_same_way_on_both_sides_is_no_conflict() -> None:
    result = merge(mine={"progress": "Held"}, theirs={"progress": "Held"})
    assert result.merged["progress"] == "Held"
    assert result.sides["progress"] == "same"
    assert result.conflicts == []


def test_a_field_changed_differently_on_both_sides_is_flagged_and_keeps_mine() -> None:
    result = merge(
        mine={"progress": "Iolo: papers sent", "status": "achieved"},
        theirs={"progress": "Alys: meeting held", "timescale": "Mar 08"},
    )
    assert result.conflicts == ["progress"]
    assert result.sides == {"timescale": "theirs", "progress": "both", "status": "mine"}
    assert result.merged == {
        "timescale": "Mar 08",
        "progress": "Iolo: papers sent",
        "status": "achieved",
    }


def test_empty_and_none_and_browser_line_breaks_count_as_unchanged() -> None:
    result = three_way_merge(
        ancestor={"a": None, "b": "one\ntwo"},
        mine={"a": "", "b": "one\r\ntwo"},
        theirs={"a": "new", "b": "one\ntwo"},
        fields=("a", "b"),
    )
    assert result.sides == {"a": "theirs", "b": "neither"}
    assert result.conflicts == []


def test_without_an_ancestor_every_difference_is_a_conflict() -> None:
    result = merge(mine={"status": "in_progress"}, theirs={"timescale": "Mar 08"}, ancestor=None)
    assert result.conflicts == ["timescale", "status"]
    assert result.merged["timescale"] == "Dec 07" and result.merged["status"] == "in_progress"
    assert result.sides["progress"] == "neither"
