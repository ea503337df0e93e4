"""import_plan and export_report refuse bad arguments with a specific CommandError and change
nothing, instead of ignoring them or ending in a traceback."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from plans.models import ImplementationPlan
from tests.plans.factories import issue, make_plan

pytestmark = pytest.mark.security

SEED = Path(__file__).resolve().parents[2] / "compact/demo_data/implementation-plan-update-4.txt"


def import_plan(*arguments: str) -> str:
    out = io.StringIO()
    call_command("import_plan", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--update-number", "0"], "'0' is not an update number: give a whole number of 1 or more"),
        (["--update-number", "-3"], "is not an update number"),
        (["--update-number", "four"], "is not an update number"),
        (["--date", "26/01/2009"], "is not a date written YYYY-MM-DD"),
        (["--previous-date", "2009-13-01"], "is not a date written YYYY-MM-DD"),
        (["--date", "9999-12-31"], "cannot be more than a year ahead"),
        (["--plan", "not a slug!"], "is not a slug"),
        (["--compact", "nowhere"], "No Compact with slug 'nowhere'"),
        (["--user", "nobody"], "No user 'nobody'"),
        (["--previous-date", "2008-11-01"], "the document has no blue text"),
    ],
)
def test_import_plan_refuses_bad_arguments_and_imports_nothing(
    world: Any, arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        import_plan(str(SEED), "--plan", "seed", *arguments)
    assert not ImplementationPlan.objects.exists()


def test_import_plan_refuses_a_missing_file_and_a_folder(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        import_plan(str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="No such file"):
        import_plan(str(tmp_path))


def test_import_plan_service_refuses_update_number_zero(world: Any) -> None:
    """The root: import_plan() itself, which the upload page calls too, never reads 0 as
    "not given"."""
    from plans import importing

    parsed = importing.parse_file(SEED.name, SEED.read_bytes())
    with pytest.raises(importing.PlanImportError, match="must be 1 or more"):
        importing.import_plan(parsed, compact=world.compact, actor=None, number=0)
    assert not ImplementationPlan.objects.exists()


@pytest.fixture
def issued_plan(world: Any) -> Any:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    issue(plan)
    return plan


def export(*arguments: str) -> str:
    out = io.StringIO()
    call_command("export_report", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_report_to_a_folder_says_so_and_suggests_a_file_name(
    issued_plan: Any, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match=r"--out .* is a folder: give the name of the file"):
        export("--plan", issued_plan.slug, "--update", "1", "--format", "csv",
               "--out", str(tmp_path))  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_export_report_cannot_write_says_why(issued_plan: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(CommandError, match="Cannot write"):
        export("--plan", issued_plan.slug, "--update", "1", "--format", "csv",
               "--out", str(blocker / "report.csv"))  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--plan", "nowhere", "--update", "1"], "No plan with slug or id 'nowhere'"),
        (["--update", "0"], "has no update 0; it has \\[1\\]"),
        (["--update", "one"], "invalid int value"),
        (["--update", "1", "--format", "rtf"], "invalid choice: 'rtf'"),
    ],
)
def test_export_report_refuses_other_bad_arguments(
    issued_plan: Any, tmp_path: Path, arguments: list[str], message: str
) -> None:
    base = {"--plan": issued_plan.slug, "--format": "csv", "--out": str(tmp_path / "r.csv")}
    given = dict(zip(arguments[::2], arguments[1::2], strict=True))
    merged = [item for key, value in {**base, **given}.items() for item in (key, value)]
    with pytest.raises(CommandError, match=message):
        export(*merged)
    assert not (tmp_path / "r.csv").exists()


def test_export_report_writes_a_file(issued_plan: Any, tmp_path: Path) -> None:
    out = tmp_path / "new-folder" / "report.csv"
    export("--plan", issued_plan.slug, "--update", "1", "--format", "csv", "--out", str(out))
    assert out.read_text().startswith("Objective,Task")
