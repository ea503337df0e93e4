"""CSV import (all-or-nothing, row-numbered errors) and CSV export of the register."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from compact.models import Organisation
from partnerships.models import Partnership, ThirdSectorPlace
from partnerships.spreadsheets import ImportFailed, partnerships_import
from tests.partnerships.factories import make_partnership, make_place

HEADER = "name,type,parent,lead_body,coverage,other_cvcs,status,places\n"


@pytest.fixture
def interlink(world: Any) -> Organisation:
    return Organisation.objects.create(
        name="Interlink Rhondda Cynon Taf", short_name="Interlink", sector="third"
    )


def test_import_adds_partnerships_with_parents_places_and_cvcs(world: Any, interlink: Any) -> None:
    content = HEADER + (
        "Health Theme Group,sub_group,Community Strategy Partnership,TC,,,,elected:1\n"
        "Community Strategy Partnership,strategic,,TC,,,,elected:2:deputy; vamt_chief_officer:1\n"
        "Cwm Taf Partnership,Statutory / strategic partnership,,TC,regional,Interlink,dormant,\n"
    )
    created = partnerships_import(
        compact=world.compact, content=content.encode(), actor=world.users["officer"]
    )
    assert len(created) == 3
    theme = Partnership.objects.get(name="Health Theme Group")
    assert theme.parent.name == "Community Strategy Partnership"
    strategy = Partnership.objects.get(name="Community Strategy Partnership")
    assert sorted(strategy.places.values_list("kind", "number_of_places", "has_deputy")) == [
        ("elected", 2, True),
        ("vamt_chief_officer", 1, False),
    ]
    regional = Partnership.objects.get(name="Cwm Taf Partnership")
    assert regional.status == "dormant"
    assert list(regional.other_cvcs.all()) == [interlink]
    assert regional.history.first().history_user == world.users["officer"]


def test_import_with_one_bad_row_imports_nothing_and_names_the_row(world: Any) -> None:
    content = HEADER + (
        "Good Partnership,strategic,,TC,,,,\n"
        "Another Good One,forum,,,,,,\n"
        "Bad Partnership,xyz,,TC,,,,\n"
    )
    with pytest.raises(ImportFailed) as caught:
        partnerships_import(
            compact=world.compact, content=content.encode(), actor=world.users["officer"]
        )
    assert caught.value.errors[0].startswith("Row 4: type 'xyz' is not one of strategic, planning")
    assert not Partnership.objects.exists()


def test_import_reports_every_problem_with_its_row(world: Any) -> None:
    make_partnership(world.compact, "Existing Board")
    content = HEADER + (
        "Existing Board,strategic,,,,,,\n"
        "Orphan,sub_group,,,,,,\n"
        "Regional,strategic,,,regional,,,\n"
        "Led By Nobody,strategic,,Nowhere Council,,,,\n"
        "Loop A,sub_group,Loop B,,,,,\n"
        "Loop B,sub_group,Loop A,,,,,\n"
        "Wrong Places,forum,,,,,,elected:none\n"
    )
    with pytest.raises(ImportFailed) as caught:
        partnerships_import(
            compact=world.compact, content=content.encode(), actor=world.users["officer"]
        )
    errors = "\n".join(caught.value.errors)
    assert "Row 2: 'Existing Board' is already in the register." in errors
    assert "Row 5: lead body 'Nowhere Council' is not an organisation" in errors
    assert "Row 6: 'Loop A' and its parent 'Loop B' feed into each other" in errors
    assert "Row 8: number of places 'none' is not a whole number above 0." in errors
    assert Partnership.objects.count() == 1


def test_import_reports_model_rules_with_row_numbers(world: Any) -> None:
    content = HEADER + "Orphan,sub_group,,,,,,\nRegional,strategic,,,regional,,,\n"
    with pytest.raises(ImportFailed) as caught:
        partnerships_import(
            compact=world.compact, content=content.encode(), actor=world.users["officer"]
        )
    errors = "\n".join(caught.value.errors)
    assert "Row 2: feeds into: A sub group or task group must name the partnership" in errors
    assert "Row 3: other counties' CVCs to consult: A regional partnership must name" in errors
    assert not Partnership.objects.exists()


def test_import_refuses_unknown_columns(world: Any) -> None:
    with pytest.raises(ImportFailed, match="Row 1: unknown column colour"):
        partnerships_import(
            compact=world.compact,
            content=b"name,type,colour\nX,forum,blue\n",
            actor=world.users["officer"],
        )


def test_officer_uploads_a_file_and_sees_row_errors(world: Any, client_for: Any) -> None:
    client = client_for("officer")
    upload = SimpleUploadedFile("list.csv", (HEADER + "Bad,xyz,,,,,,\n").encode(), "text/csv")
    response = client.post(reverse("partnerships:import"), {"file": upload})
    assert response.status_code == 200
    assert "Row 2: type &#x27;xyz&#x27; is not one of" in response.content.decode()
    upload = SimpleUploadedFile("list.csv", (HEADER + "Good,forum,,,,,,\n").encode(), "text/csv")
    response = client.post(reverse("partnerships:import"), {"file": upload}, follow=True)
    assert "Imported 1 partnerships." in response.content.decode()
    assert Partnership.objects.filter(name="Good").exists()


def test_import_command_all_or_nothing(world: Any, tmp_path: Any) -> None:
    path = tmp_path / "list.csv"
    path.write_text(HEADER + "Fine,forum,,,,,,\nBroken,forum,,,,,nowhere,\n")
    with pytest.raises(CommandError, match="Row 3: status 'nowhere' is not one of"):
        call_command("import_partnerships", str(path))
    assert not Partnership.objects.exists()
    path.write_text(HEADER + "Fine,forum,,,,,,\n")
    out = io.StringIO()
    call_command("import_partnerships", str(path), stdout=out)
    assert "Imported 1 partnerships." in out.getvalue()


def test_export_round_trips_through_import(world: Any, client_for: Any, interlink: Any) -> None:
    strategy = make_partnership(world.compact, "Strategy", lead_body=world.public_org)
    make_place(strategy, number_of_places=2, has_deputy=True)
    regional = make_partnership(world.compact, "Regional", coverage="regional")
    regional.other_cvcs.add(interlink)
    make_partnership(world.compact, "Theme", type="sub_group", parent=strategy)
    response = client_for("board").get(reverse("partnerships:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == ["Regional", "Strategy", "Theme"]
    assert rows[1]["places"] == "elected:2:deputy"
    assert rows[1]["vacancies"] == "2"
    assert rows[0]["other_cvcs"] == "Interlink"
    Partnership.objects.filter(parent__isnull=False).delete()
    Partnership.objects.all().delete()
    partnerships_import(
        compact=world.compact, content=response.content, actor=world.users["officer"]
    )
    assert Partnership.objects.get(name="Theme").parent.name == "Strategy"
    assert ThirdSectorPlace.objects.get().number_of_places == 2


def test_export_follows_the_filters(world: Any, client_for: Any) -> None:
    make_partnership(world.compact, "Forum A", type="forum")
    make_partnership(world.compact, "Board B", type="strategic")
    response = client_for("representative").get(reverse("partnerships:export_csv") + "?type=forum")
    assert "Forum A" in response.content.decode()
    assert "Board B" not in response.content.decode()


def test_export_neutralises_spreadsheet_formulas(world: Any, client_for: Any) -> None:
    make_partnership(world.compact, '=HYPERLINK("http://x")', slug="formula")
    response = client_for("officer").get(reverse("partnerships:export_csv"))
    assert "'=HYPERLINK" in response.content.decode()
