"""The register's model rules: sub groups and their parents, regional partnerships' CVCs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.models import Organisation
from partnerships import services
from partnerships.models import ComplianceCheck, Partnership
from tests.partnerships.factories import code_commitments, make_partnership


@pytest.fixture
def officer(world: Any) -> Any:
    return world.users["officer"]


def test_partnership_cannot_feed_into_itself(world: Any, officer: Any) -> None:
    group = make_partnership(
        world.compact,
        "Health Group",
        type=Partnership.Type.SUB_GROUP,
        parent=make_partnership(world.compact, "Strategy"),
    )
    group.parent = group
    with pytest.raises(ValidationError) as caught:
        services.partnership_update(partnership=group, other_cvcs=[], actor=officer)
    assert "cannot feed into itself" in str(caught.value.message_dict["parent"])


def test_partnership_cannot_feed_into_its_own_descendant(world: Any, officer: Any) -> None:
    strategy = make_partnership(world.compact, "Community Strategy Partnership")
    theme = make_partnership(
        world.compact, "Health Theme", type=Partnership.Type.SUB_GROUP, parent=strategy
    )
    task = make_partnership(
        world.compact, "Task Group", type=Partnership.Type.SUB_GROUP, parent=theme
    )
    strategy.parent = task
    with pytest.raises(ValidationError) as caught:
        services.partnership_update(partnership=strategy, other_cvcs=[], actor=officer)
    message = " ".join(caught.value.message_dict["parent"])
    assert "Task Group already feeds into Community Strategy Partnership" in message
    strategy.refresh_from_db()
    assert strategy.parent is None


def test_sub_group_must_name_its_parent(world: Any, officer: Any) -> None:
    group = Partnership(compact=world.compact, name="Orphan Group", type=Partnership.Type.SUB_GROUP)
    with pytest.raises(ValidationError) as caught:
        services.partnership_create(partnership=group, actor=officer)
    assert "must name the partnership it feeds into" in str(caught.value.message_dict["parent"])
    assert not Partnership.objects.filter(name="Orphan Group").exists()


def test_regional_partnership_must_name_other_cvcs(world: Any, officer: Any) -> None:
    regional = Partnership(
        compact=world.compact,
        name="Cwm Taf Health Partnership",
        type=Partnership.Type.STRATEGIC,
        coverage=Partnership.Coverage.REGIONAL,
    )
    with pytest.raises(ValidationError) as caught:
        services.partnership_create(partnership=regional, other_cvcs=[], actor=officer)
    assert "must name the County Voluntary Councils" in str(caught.value.message_dict["other_cvcs"])
    assert not Partnership.objects.filter(name="Cwm Taf Health Partnership").exists()

    interlink = Organisation.objects.create(
        name="Interlink RCT", short_name="Interlink", sector=Organisation.Sector.THIRD
    )
    regional = Partnership(
        compact=world.compact,
        name="Cwm Taf Health Partnership",
        type=Partnership.Type.STRATEGIC,
        coverage=Partnership.Coverage.REGIONAL,
    )
    saved = services.partnership_create(partnership=regional, other_cvcs=[interlink], actor=officer)
    assert list(saved.other_cvcs.all()) == [interlink]


def test_public_body_cannot_be_named_as_a_cvc(world: Any, officer: Any) -> None:
    regional = Partnership(
        compact=world.compact,
        name="Regional",
        type=Partnership.Type.STRATEGIC,
        coverage=Partnership.Coverage.REGIONAL,
    )
    with pytest.raises(ValidationError) as caught:
        services.partnership_create(
            partnership=regional, other_cvcs=[world.public_org], actor=officer
        )
    assert "not a third-sector organisation" in str(caught.value.message_dict["other_cvcs"])


def test_only_officers_change_the_register(world: Any) -> None:
    partnership = Partnership(compact=world.compact, name="X", type=Partnership.Type.FORUM)
    for role in ("board", "representative", "administrator"):
        with pytest.raises(PermissionDenied):
            services.partnership_create(partnership=partnership, actor=world.users[role])


def test_edit_is_refused_when_someone_else_saved_first(world: Any, officer: Any) -> None:
    partnership = make_partnership(world.compact, "Forum", type=Partnership.Type.FORUM)
    seen = partnership.version
    other = Partnership.objects.get(pk=partnership.pk)
    other.purpose = "Changed by a colleague"
    services.partnership_update(partnership=other, other_cvcs=[], actor=world.users["superuser"])
    partnership.purpose = "My change"
    with pytest.raises(services.EditConflict):
        services.partnership_update(
            partnership=partnership, other_cvcs=[], actor=officer, expected_version=seen
        )
    partnership.refresh_from_db()
    assert partnership.purpose == "Changed by a colleague"


def test_checklist_records_who_checked_and_history(world: Any, officer: Any) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Board")
    entry = services.ChecklistEntry(
        commitment=commitments[("all", 2)],
        status=ComplianceCheck.Status.MET,
        evidence="ToR section 3",
        checked_on=datetime.date(2009, 1, 5),
    )
    services.compliance_checklist_record(partnership=partnership, entries=[entry], actor=officer)
    check = ComplianceCheck.objects.get(partnership=partnership)
    assert check.checked_by == officer
    assert check.history.first().history_user == officer


def test_checklist_entry_without_date_saves_nothing(world: Any, officer: Any) -> None:
    commitments = code_commitments(world.compact)
    partnership = make_partnership(world.compact, "Board")
    good = services.ChecklistEntry(
        commitment=commitments[("all", 2)],
        status="met",
        checked_on=datetime.date(2009, 1, 5),
    )
    undated = services.ChecklistEntry(commitment=commitments[("all", 9)], status="not_met")
    with pytest.raises(ValidationError, match="Give the date"):
        services.compliance_checklist_record(
            partnership=partnership, entries=[good, undated], actor=officer
        )
    assert not ComplianceCheck.objects.exists()
