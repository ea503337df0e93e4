"""Text that would make pages slow or crash an import: plan cells are limited in one place
(the model) with a clear message on every write path, the word diff does bounded work on
adversarial text and still shows a correct replacement, data saved before the limit still
renders, and CSV / plan imports turn over-long cells and control characters into row errors
with nothing saved."""

from __future__ import annotations

import difflib
import html
import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact.platform import textdiff
from partnerships.models import Partnership
from partnerships.spreadsheets import ImportFailed, partnerships_import
from plans import importing
from plans.models import PLAN_CELL_MAX_CHARS, ImplementationPlan, Outcome
from tests.plans.factories import make_objective, make_plan, make_row, make_task
from tests.plans.factories_reports import issue

pytestmark = pytest.mark.security

# The tokens of "a b " against "b a " never line up: difflib's worst case (21 s at 16k
# tokens before the bound).
ADVERSARIAL_OLD = "a b " * 4_000
ADVERSARIAL_NEW = "b a " * 4_000


class CountingMatcher(difflib.SequenceMatcher):
    """difflib's matcher, counting the token pairs each comparison was given."""

    pairs: list[int] = []

    def __init__(self, isjunk: Any, a: Any, b: Any, **kwargs: Any) -> None:
        CountingMatcher.pairs.append(len(a) * len(b))
        super().__init__(isjunk, a, b, **kwargs)


def texts_of(diff: str) -> tuple[str, str]:
    """(old, new) read back from a diff's HTML: new without <del>, old without <ins>."""
    new = re.sub(r"<del>.*?</del>", "", diff, flags=re.DOTALL)
    old = re.sub(r"<ins>.*?</ins>", "", diff, flags=re.DOTALL)
    strip = re.compile(r"</?(ins|del)>")
    return html.unescape(strip.sub("", old)), html.unescape(strip.sub("", new))


def test_word_diff_of_adversarial_text_does_bounded_work_and_shows_a_correct_replace(
    monkeypatch: Any,
) -> None:
    CountingMatcher.pairs = []
    monkeypatch.setattr(textdiff.difflib, "SequenceMatcher", CountingMatcher)
    started = time.perf_counter()

    shown = str(textdiff.diff_html(ADVERSARIAL_OLD, ADVERSARIAL_NEW))

    elapsed = time.perf_counter() - started
    assert sum(CountingMatcher.pairs) <= textdiff.DIFF_MAX_TOKEN_PAIRS, (
        f"compared {sum(CountingMatcher.pairs):,} token pairs for one field"
    )
    assert elapsed < 1, f"{elapsed:.2f} s for one field"
    assert texts_of(shown) == (ADVERSARIAL_OLD, ADVERSARIAL_NEW)
    assert shown.startswith("<del>a b") and "<ins>b a" in shown


def test_word_diff_still_marks_words_in_ordinary_long_text(monkeypatch: Any) -> None:
    words = [f"word{number}" for number in range(1_500)]
    old = " ".join(words)
    words[300], words[1_200] = "changed", "altered"
    new = " ".join(words)
    CountingMatcher.pairs = []
    monkeypatch.setattr(textdiff.difflib, "SequenceMatcher", CountingMatcher)

    shown = str(textdiff.diff_html(old, new))

    assert sum(CountingMatcher.pairs) <= textdiff.DIFF_MAX_TOKEN_PAIRS
    assert "<del>word300</del><ins>changed</ins>" in shown
    assert "<del>word1200</del><ins>altered</ins>" in shown
    assert texts_of(shown) == (old, new)


def test_editor_refuses_an_overlong_cell_with_a_clear_message(world: Any, client_for: Any) -> None:
    row = make_row(
        make_task(make_objective(make_plan(world, objectives=0))), progress="Meetings held"
    )

    response = client_for("officer").post(
        reverse("plans:row_edit", args=[row.pk]),
        {"outcome": row.outcome, "status": "in_progress", "version": 1,
         "progress": "x" * (PLAN_CELL_MAX_CHARS + 1)},
    )  # fmt: skip

    assert response.status_code in {200, 422}
    assert "a cell of the plan may hold at most 10,000" in response.content.decode()
    saved = Outcome.objects.get(pk=row.pk)
    assert (saved.progress, saved.version) == ("Meetings held", 1)


def test_editor_refuses_a_nul_byte_in_a_cell(world: Any) -> None:
    from django.core.exceptions import ValidationError

    from plans import services

    task = make_task(make_objective(make_plan(world, objectives=0)))
    with pytest.raises(ValidationError, match="control character"):
        services.task_update(
            task=task, expected_version=1, data={"description": "Board\x00"}, actor=None
        )


PLAN_TEXT = (
    "TEST PLAN 2008-2011\n\nUpdate 2 - Dated 26th January 2009\n"
    "\tOBJECTIVE 1\n\nA statement\n"
    "\tTasks\n\tOutcomes / Indicators\n\tTimescale\n\tResponsibility\n\tProgress\n"
    "\tA task\n\tAn outcome\n\tSept 08\n\tID\n\t{progress}\n"
)


@pytest.mark.parametrize(
    ("progress", "problem"),
    [("p" * (PLAN_CELL_MAX_CHARS + 1), "may hold at most 10,000"),
     ("Meetings\x00 held", "control character (U+0000)")],
    ids=["too-long", "nul-byte"],
)  # fmt: skip
def test_plan_import_names_the_row_of_a_bad_cell_and_imports_nothing(
    world: Any, client_for: Any, progress: str, problem: str
) -> None:
    upload = SimpleUploadedFile("plan.txt", PLAN_TEXT.format(progress=progress).encode())

    response = client_for("officer").post(reverse("plans:plan_import"), {"file": upload})

    assert response.status_code == 422
    page = response.content.decode()
    assert problem in page
    assert "Objective 1" in page
    assert not ImplementationPlan.objects.exists()


def test_cells_saved_before_the_limit_still_render(world: Any, client_for: Any) -> None:
    """A public plan whose row grew past the limit (saved before it existed) and changed
    adversarially between two updates: the anonymous report shows it, quickly."""
    plan = make_plan(world, objectives=1, tasks=1, rows=1, is_public=True)
    row = Outcome.objects.get(plan=plan)
    row.progress = "a b " * 12_500  # 50,000 characters, written before the limit
    row.save()
    issue(plan)
    row.progress = "b a " * 12_500
    row.save()
    issue(plan)

    started = time.perf_counter()
    response = client_for("anonymous").get(
        reverse("plans:update_report", kwargs={"slug": plan.slug, "number": 2})
    )
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>a b a b" in page and "<ins>b a b a" in page
    assert elapsed < 5, f"{elapsed:.1f} s"


# --- CSV imports --------------------------------------------------------------------------


def register_csv(purpose: str) -> bytes:
    return f'name,type,purpose\nHealth forum,forum,"{purpose}"\nYouth forum,forum,Youth\n'.encode()


@pytest.mark.parametrize(
    ("purpose", "problem"),
    [("x" * 131_073, "Row 2: a cell is longer than 10,000 characters"),
     ("x" * 10_001, "Row 2, column purpose: is 10,001 characters long"),
     ("Health\x00 and care", "Row 2, column purpose: contains a control character (U+0000)"),
     ("Health\x1b[31m", "Row 2, column purpose: contains a control character (U+001B)")],
    ids=["past-csv-field-limit", "past-cell-limit", "nul-byte", "escape-character"],
)  # fmt: skip
def test_partnerships_import_turns_bad_cells_into_row_errors(
    world: Any, purpose: str, problem: str
) -> None:
    with pytest.raises(ImportFailed) as refused:
        partnerships_import(
            compact=world.compact, content=register_csv(purpose), actor=world.users["officer"]
        )
    assert any(problem in error for error in refused.value.errors), refused.value.errors
    assert not Partnership.objects.exists()


def test_partnerships_import_page_shows_the_row_error_not_a_server_error(
    world: Any, client_for: Any
) -> None:
    for content in (register_csv("x" * 131_073), register_csv("Health\x00")):
        upload = SimpleUploadedFile("register.csv", content, content_type="text/csv")
        response = client_for("officer").post(reverse("partnerships:import"), {"file": upload})
        assert response.status_code == 200
        assert "Row 2" in response.content.decode()
    assert not Partnership.objects.exists()


def test_plan_import_module_reports_overlong_text_with_its_place(world: Any) -> None:
    parsed = importing.parse_text(PLAN_TEXT.format(progress="ok"))
    parsed.objectives[0].tasks[0].description = importing.Text.plain(
        "t" * (PLAN_CELL_MAX_CHARS + 1)
    )
    with pytest.raises(importing.PlanImportError, match=r"Objective 1, task 1: .*10,000"):
        importing.import_plan(parsed, compact=world.compact, actor=None)
    assert not ImplementationPlan.objects.exists()
