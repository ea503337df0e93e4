"""Bilingual plan content (issue 14): every text of the plan has an English and a Welsh
version; editors write both side by side, readers get their language or the other one marked,
and the reports show the Welsh words' own changes when read in Welsh."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pdfplumber
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from compact.platform.language import FALLBACK_MARKERS, choose, render_versions
from plans import services
from plans.demo import welsh_timescale
from plans.models import PLAN_CELL_MAX_CHARS, Outcome, UpdateSnapshot
from plans.selectors.reports import build_snapshot_blobs, issued_snapshots
from tests.plans.factories import make_objective, make_plan, make_row, make_task
from tests.plans.factories_reports import first_row, issue
from tests.queries import request_queries

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = FALLBACK_MARKERS["en"]  # "(Saesneg yn unig / English only)"
WELSH_ONLY = FALLBACK_MARKERS["cy"]
NEW_WELSH = "wedi’u hadolygu gan Fwrdd y Compact"


def in_welsh(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def row_post(row: Outcome, **changes: str) -> dict[str, Any]:
    data = {name: getattr(row, name) for name in services.OUTCOME_FIELDS}
    return {**data, "version": row.version, "reason": "", **changes}


# --- the one helper ------------------------------------------------------------------------


def test_reader_gets_their_language_or_the_other_marked_with_its_lang() -> None:
    assert choose("Meetings held", "Cyfarfodydd", "cy").text == "Cyfarfodydd"
    shown = choose("Meetings held", "", "cy")
    assert (shown.text, shown.lang, shown.fallback) == ("Meetings held", "en", True)
    assert choose("", "Cyfarfodydd", "en").fallback
    assert choose("", "", "cy").text == ""

    with translation.override("cy"):
        html = render_versions("<b>Meetings</b>", "")
    assert html.startswith('<span lang="en" class="lang-fallback">&lt;b&gt;Meetings&lt;/b&gt;')
    assert ENGLISH_ONLY in html
    with translation.override("en"):
        assert render_versions("Meetings", "Cyfarfodydd") == "Meetings"
        assert 'lang="cy"' in render_versions("", "Cyfarfodydd") and WELSH_ONLY in (
            render_versions("", "Cyfarfodydd")
        )


# --- editing both --------------------------------------------------------------------------


def test_row_editor_shows_english_and_welsh_side_by_side_and_saves_both(
    world: Any, client_for: Any
) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    row = first_row(plan)
    client = client_for("officer")
    page = client.get(reverse("plans:row_edit", args=[row.pk])).content.decode()
    assert 'name="progress_cy"' in page and 'lang="cy"' in page
    assert "bilingual-pair" in page and "col-md-6" in page  # columns, stacked below md

    response = client.post(
        reverse("plans:row_edit", args=[row.pk]),
        row_post(row, progress_cy="Cyfarfodydd wedi’u cynnal", timescale_cy="Medi 2008"),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.progress_cy == "Cyfarfodydd wedi’u cynnal"
    assert row.progress == "Meetings held"  # the English is kept
    latest = row.history.latest()
    assert (latest.progress, latest.progress_cy) == ("Meetings held", "Cyfarfodydd wedi’u cynnal")
    history = client.get(reverse("plans:item_history", args=["row", row.pk])).content.decode()
    assert "Progress (Welsh)" in history and "Cyfarfodydd" in history


def test_objective_task_and_plan_editors_save_welsh(world: Any, client_for: Any) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    objective = plan.objectives.get()
    task = objective.tasks.get()
    client = client_for("officer")
    client.post(
        reverse("plans:objective_edit", args=[objective.pk]),
        {"number": 1, "title": "Board", "title_cy": "Bwrdd", "statement": "S",
         "statement_cy": "Datganiad", "version": objective.version},
    )  # fmt: skip
    client.post(
        reverse("plans:task_edit", args=[task.pk]),
        {"description": "", "description_cy": "Sefydlu’r Bwrdd", "version": task.version},
    )
    client.post(
        reverse("plans:plan_settings", args=[plan.slug]),
        {"title": plan.title, "title_cy": "Cynllun Gweithredu", "period": "2008-2011"},
    )
    objective.refresh_from_db()
    task.refresh_from_db()
    plan.refresh_from_db()
    assert (objective.title_cy, objective.statement_cy) == ("Bwrdd", "Datganiad")
    assert (task.description, task.description_cy) == ("", "Sefydlu’r Bwrdd")
    assert plan.title_cy == "Cynllun Gweithredu"
    assert objective.history.latest().title_cy == "Bwrdd"
    assert task.history.latest().description_cy == "Sefydlu’r Bwrdd"


def test_a_task_needs_a_description_in_one_language_at_least(world: Any, client_for: Any) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    task = plan.tasks.get()
    response = client_for("officer").post(
        reverse("plans:task_edit", args=[task.pk]),
        {"description": "", "description_cy": "", "version": task.version},
    )
    assert response.status_code == 422
    assert "Describe the task, in English or in Welsh." in response.content.decode()


@pytest.mark.parametrize(
    ("welsh", "message"),
    [
        ("a" * (PLAN_CELL_MAX_CHARS + 1), "a cell of the plan may hold at most"),
        ("Cynnydd\x07", "control character"),
    ],
)
def test_welsh_over_the_limit_or_with_control_characters_is_refused_and_changes_nothing(
    world: Any, client_for: Any, welsh: str, message: str
) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    row = first_row(plan)
    response = client_for("officer").post(
        reverse("plans:row_edit", args=[row.pk]), row_post(row, progress_cy=welsh)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    row.refresh_from_db()
    assert row.progress_cy == "" and row.version == 1


def test_welsh_title_longer_than_the_english_limit_is_refused(world: Any, client_for: Any) -> None:
    plan = make_plan(world, objectives=0)
    response = client_for("officer").post(
        reverse("plans:plan_settings", args=[plan.slug]),
        {"title": plan.title, "title_cy": "C" * 201, "period": ""},
    )
    assert "at most 200 characters" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title_cy == ""


def test_a_welsh_timescale_gives_the_due_date(world: Any) -> None:
    plan = make_plan(world, objectives=0)
    row = make_row(make_task(make_objective(plan)), timescale="", timescale_cy="Medi 2008",
                   outcome="Agreed")  # fmt: skip
    assert row.due_date == datetime.date(2008, 9, 30)


# --- reading -------------------------------------------------------------------------------


def test_plan_page_in_welsh_shows_welsh_and_marks_english_fallback(
    world: Any, client_for: Any
) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=2)
    plan.title_cy = "Cynllun y Compact"
    plan.save()
    row = first_row(plan)
    row.progress_cy = "Cyfarfodydd wedi’u cynnal"
    row.save()
    page = in_welsh(client_for("officer")).get(reverse("plans:plan_detail", args=[plan.slug]))
    html = page.content.decode()
    assert '<html lang="cy"' in html
    assert "<h1>Cynllun y Compact</h1>" in html
    assert "Cyfarfodydd wedi’u cynnal" in html
    # The rows without Welsh: English, in an element saying so, and marked.
    assert '<span lang="en" class="lang-fallback">Outcome 1.1.2' in html
    assert ENGLISH_ONLY in html


def test_english_reader_sees_english_and_welsh_only_text_marked(
    world: Any, client_for: Any
) -> None:
    plan = make_plan(world, objectives=0)
    make_row(make_task(make_objective(plan)), outcome="", outcome_cy="Aelodaeth wedi’i chytuno")
    html = client_for("officer").get(reverse("plans:plan_detail", args=[plan.slug]))
    html = html.content.decode()
    assert '<span lang="cy" class="lang-fallback">Aelodaeth wedi’i chytuno' in html
    assert WELSH_ONLY in html


# --- reports -------------------------------------------------------------------------------


@pytest.fixture
def welsh_updates(world: Any) -> tuple[Any, Any, Any]:
    """Two updates; between them the first row's Welsh progress gains words."""
    plan = make_plan(world)
    plan.title_cy = "Cynllun y Compact"
    plan.save()
    row = first_row(plan)
    row.progress_cy = "Cyfarfodydd wedi’u cynnal"
    row.save()
    one = issue(plan, day=datetime.date(2008, 11, 20))
    row.progress_cy = f"Cyfarfodydd wedi’u cynnal a {NEW_WELSH}"
    row.save()
    two = issue(plan, day=datetime.date(2009, 1, 26), summary="January")
    return plan, one, two


def test_report_read_in_welsh_shows_the_welsh_words_changes_in_blue(
    welsh_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = welsh_updates
    client = in_welsh(client_for("board"))
    html = client.get(reverse("plans:update_report", args=[plan.slug, 2])).content.decode()
    assert "Cynllun y Compact" in html
    inserted = html[html.index("Cyfarfodydd wedi’u cynnal") :]
    assert "<ins" in inserted[:200] and NEW_WELSH.split()[0] in inserted[:400]
    # Rows not yet translated: the English, marked, with lang="en".
    assert '<span lang="en" class="lang-fallback">' in html and ENGLISH_ONLY in html
    # Read in English, the same report has no Welsh and counts the row as changed.
    english = client_for("board").get(reverse("plans:update_report", args=[plan.slug, 2]))
    assert "Cyfarfodydd" not in english.content.decode()


def test_compare_page_read_in_welsh_shows_the_welsh_changes(
    welsh_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = welsh_updates
    url = reverse("plans:update_compare", args=[plan.slug]) + "?since=1&until=2"
    html = in_welsh(client_for("board")).get(url).content.decode()
    inserted = html[html.index("Cyfarfodydd wedi’u cynnal") :]
    assert "<ins" in inserted[:200]


def test_report_pages_in_welsh_cost_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    counts = []
    for size, slug in ((1, "small"), (3, "large")):
        plan = make_plan(world, objectives=size, tasks=size, rows=size, slug=slug)
        issue(plan)
        for row in Outcome.objects.filter(plan=plan):
            row.progress_cy = "Wedi’i olygu " + row.outcome
            row.save()
        issue(plan)
        client = in_welsh(client_for("board"))
        with request_queries() as captured:
            assert (
                client.get(reverse("plans:update_report", args=[plan.slug, 2])).status_code == 200
            )
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_csv_read_in_welsh_has_the_welsh_and_marks_english_fallback(
    welsh_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = welsh_updates
    client = in_welsh(client_for("board"))
    response = client.get(reverse("plans:update_export", args=[plan.slug, 2, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    progress = [row[5] for row in rows[1:]]
    assert f"Cyfarfodydd wedi’u cynnal a {NEW_WELSH}" in progress
    assert f"Meetings held {ENGLISH_ONLY}" in progress


def test_welsh_pdf_has_the_welsh_and_is_rendered_once(
    welsh_updates: Any, client_for: Any, monkeypatch: Any
) -> None:
    plan, _one, _two = welsh_updates
    client = in_welsh(client_for("board"))
    url = reverse("plans:update_report_pdf", args=[plan.slug, 2])
    pdf = client.get(url).content
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
    assert "Cynllun y Compact" in text and "Cyfarfodydd" in text

    def not_again(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendered twice")

    monkeypatch.setattr("plans.reports.render_report_pdf", not_again)
    assert client.get(url).content == pdf
    # The English PDF is another file.
    monkeypatch.undo()
    english = client_for("board").get(url).content
    with pdfplumber.open(io.BytesIO(english)) as document:
        assert "Cyfarfodydd" not in " ".join(page.extract_text() or "" for page in document.pages)
    _dirs, files = default_storage.listdir(f"plans/update-pdf-cy/{plan.pk}")
    assert len(files) == 1


# --- snapshots -----------------------------------------------------------------------------


def test_stored_snapshots_keep_both_languages_and_equal_the_history(welsh_updates: Any) -> None:
    plan, one, two = welsh_updates
    stored = UpdateSnapshot.objects.get(update=two)
    assert NEW_WELSH in stored.data
    rebuilt = build_snapshot_blobs(plan, [one, two])
    assert rebuilt[two.pk] == stored.data
    snapshot = issued_snapshots(plan, [two])[0]
    row = snapshot.objectives[0].tasks[0].rows[0]
    assert row.progress_cy.endswith(NEW_WELSH) and row.progress == "Meetings held"


def test_english_only_snapshots_stay_as_small_as_before(world: Any) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    update = issue(plan)
    # Skeleton, update before (none), line starts, then the task's text and its row's.
    lines = UpdateSnapshot.objects.get(update=update).data.split("\n")
    assert json.loads(lines[0])[0][5:7] == ["", ""]  # the objective's Welsh: two empty strings
    assert json.loads(lines[3]) == ["Task 1.1"]  # no Welsh description stored
    assert len(json.loads(lines[4])) == 5  # no Welsh row texts stored


# --- the demo ------------------------------------------------------------------------------


def test_demo_timescales_in_welsh() -> None:
    assert welsh_timescale("Sept 08") == "Medi 08"
    assert welsh_timescale("December 2007") == "Rhagfyr 2007"
    assert welsh_timescale("Standing Item") == "Eitem Sefydlog"
    assert welsh_timescale("Oct 09 and then annually") == ""


def test_issue_form_and_board_paper_take_welsh(world: Any, client_for: Any) -> None:
    plan = make_plan(world, objectives=1, tasks=1, rows=1)
    client = client_for("officer")
    form = client.get(reverse("plans:update_issue", args=[plan.slug])).content.decode()
    assert 'name="summary_cy"' in form and "Rhoi gwybod i&#x27;r Bwrdd" in form  # Welsh default
    state = form.split('name="state" value="')[1].split('"')[0]
    response = client.post(
        reverse("plans:update_issue", args=[plan.slug]),
        {"date": datetime.date.today().isoformat(), "state": state, "summary": "First",
         "summary_cy": "Y cyntaf", "purpose": "", "purpose_cy": "", "recommendation": "",
         "recommendation_cy": ""},
    )  # fmt: skip
    assert response.status_code == 302
    update = plan.updates.get()
    assert (update.summary, update.summary_cy) == ("First", "Y cyntaf")
    url = reverse("plans:update_paper_edit", args=[plan.slug, 1])
    response = client.post(
        url,
        {"purpose": "To report.", "recommendation": "To note.", "purpose_cy": "Adrodd.",
         "recommendation_cy": "", "original_purpose": update.paper_purpose,
         "original_recommendation": update.paper_recommendation,
         "original_purpose_cy": update.paper_purpose_cy,
         "original_recommendation_cy": update.paper_recommendation_cy},
    )  # fmt: skip
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.purpose_cy == "Adrodd." and update.history.latest().purpose_cy == "Adrodd."
    html = in_welsh(client).get(reverse("plans:update_report", args=[plan.slug, 1]))
    html = html.content.decode()
    assert "Adrodd." in html and "Y cyntaf" in html
    assert '<span lang="en" class="lang-fallback">To note.' in html
