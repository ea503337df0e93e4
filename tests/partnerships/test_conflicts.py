"""Two officers editing the same partnership, place or review: the second, stale save gets the
shared conflict page (compact.platform.locking) with a three-way merge, and changes nothing."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from compact.models import Organisation
from partnerships import services
from partnerships.models import Partnership, Review, ThirdSectorPlace
from tests.queries import request_queries


@pytest.fixture
def officer(world: Any) -> Any:
    return world.users["officer"]


def _partnership(world: Any, officer: Any, name: str = "Health Board Forum") -> Partnership:
    # Through the service, as every real partnership is: its history holds version 1, the
    # ancestor of a later merge.
    return services.partnership_create(
        partnership=Partnership(
            compact=world.compact,
            name=name,
            type=Partnership.Type.FORUM,
            purpose="Plans services",
            meeting_frequency="Quarterly",
        ),
        actor=officer,
    )


def _data(partnership: Partnership, **changes: Any) -> dict[str, Any]:
    data = {
        "name": partnership.name,
        "type": partnership.type,
        "purpose": partnership.purpose,
        "meeting_frequency": partnership.meeting_frequency,
        "coverage": partnership.coverage,
        "status": partnership.status,
        "published": "on" if partnership.published else "",
        "version": partnership.version,
    }
    return {**data, **changes}


def _merge_form(page: str) -> str:
    return page.split("Merge and save", 1)[1]


def test_the_edit_form_carries_the_version(world: Any, officer: Any, client_for: Any) -> None:
    partnership = _partnership(world, officer)
    page = client_for("officer").get(reverse("partnerships:edit", args=[partnership.slug]))
    assert 'name="version" value="1"' in page.content.decode()


def test_a_stale_save_shows_the_conflict_page_and_changes_nothing(
    world: Any, officer: Any, client_for: Any
) -> None:
    partnership = _partnership(world, officer)
    url = reverse("partnerships:edit", args=[partnership.slug])
    first, second = client_for("officer"), client_for("officer")
    saved = first.post(url, _data(partnership, purpose="Alys: plans health services"))
    assert saved.status_code == 302

    stale = second.post(url, _data(partnership, purpose="Iolo: plans care services"))

    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this first" in page
    assert "Alys: plans health services" in page and "Iolo: plans care services" in page
    assert "changed by both: choose" in page
    assert 'name="version" value="2"' in page
    assert f'action="{url}"' in page and 'enctype="multipart/form-data"' in page
    partnership.refresh_from_db()
    assert (partnership.purpose, partnership.version) == ("Alys: plans health services", 2)
    assert partnership.history.count() == 2


def test_a_merge_of_changes_to_different_fields_keeps_both(
    world: Any, officer: Any, client_for: Any
) -> None:
    partnership = _partnership(world, officer)
    url = reverse("partnerships:edit", args=[partnership.slug])
    first, second = client_for("officer"), client_for("officer")
    first.post(url, _data(partnership, purpose="Plans health and care services"))

    stale = second.post(url, _data(partnership, meeting_frequency="Monthly"))

    assert stale.status_code == 409
    merge_form = _merge_form(stale.content.decode())
    assert "You changed different fields" in stale.content.decode()
    assert "Plans health and care services</textarea>" in merge_form
    assert re.search(r'name="meeting_frequency" value="Monthly"', merge_form)
    merged = second.post(
        url,
        _data(
            partnership,
            purpose="Plans health and care services",
            meeting_frequency="Monthly",
            version=2,
        ),
    )
    assert merged.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.purpose, partnership.meeting_frequency, partnership.version) == (
        "Plans health and care services",
        "Monthly",
        3,
    )


def test_the_conflict_request_costs_a_fixed_number_of_queries(
    world: Any, officer: Any, client_for: Any
) -> None:
    """However many CVCs it consults and however long its history, a partnership's conflict
    page costs the same queries."""
    cvcs = [
        Organisation.objects.create(
            name=f"County Voluntary Council {number}", sector=Organisation.Sector.THIRD
        )
        for number in range(4)
    ]

    def conflict_queries(name: str, consults: list[Organisation], edits: int) -> int:
        partnership = _partnership(world, officer, name)
        partnership.coverage = Partnership.Coverage.REGIONAL
        partnership.parent = None
        services.partnership_update(partnership=partnership, other_cvcs=consults, actor=officer)
        for number in range(edits):
            partnership.purpose = f"Edit {number}"
            services.partnership_update(partnership=partnership, other_cvcs=consults, actor=officer)
        stale = _data(
            partnership,
            purpose="Mine",
            version=1,
            other_cvcs=[cvc.pk for cvc in consults],
            lead_body=world.public_org.pk,
        )
        client = client_for("officer")
        with request_queries() as captured:
            response = client.post(reverse("partnerships:edit", args=[partnership.slug]), stale)
        assert response.status_code == 409
        return len(captured.captured_queries)

    small = conflict_queries("Small Forum", cvcs[:1], edits=1)
    large = conflict_queries("Large Forum", cvcs, edits=6)
    assert small == large == 24


def test_a_stale_place_or_review_save_gets_the_conflict_page(
    world: Any, officer: Any, client_for: Any
) -> None:
    partnership = _partnership(world, officer)
    place = services.place_save(
        place=ThirdSectorPlace(partnership=partnership, kind=ThirdSectorPlace.Kind.ELECTED),
        actor=officer,
    )
    review = services.review_save(
        review=Review(
            partnership=partnership,
            review_date=datetime.date(2009, 3, 1),
            reviewer="Compact Officers Group",
            rating=Review.Rating.EFFECTIVE,
            findings="Works well",
        ),
        actor=officer,
    )
    place.title = "Saved meanwhile"
    services.place_save(place=place, actor=officer, expected_version=1)
    review.findings = "Saved meanwhile"
    services.review_save(review=review, actor=officer, expected_version=1)
    client = client_for("officer")

    place_page = client.post(
        reverse("partnerships:place_edit", args=[place.pk]),
        {"title": "Mine", "kind": "elected", "number_of_places": 1, "version": 1},
    )
    review_page = client.post(
        reverse("partnerships:review_edit", args=[review.pk]),
        {
            "review_date": "2009-03-01",
            "reviewer": "Compact Officers Group",
            "rating": "effective",
            "findings": "Mine",
            "version": 1,
        },
    )

    for response in (place_page, review_page):
        assert response.status_code == 409
        page = response.content.decode()
        assert "Someone else saved this first" in page and "Saved meanwhile" in page
        assert 'name="version" value="2"' in page
    place.refresh_from_db()
    review.refresh_from_db()
    assert (place.title, place.version) == ("Saved meanwhile", 2)
    assert (review.findings, review.version) == ("Saved meanwhile", 2)
