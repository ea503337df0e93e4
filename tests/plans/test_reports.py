"""The update reports as people get them: pages, PDFs, exports, the issue flow, and who sees
what."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pdfplumber
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.timezone import localdate
from openpyxl import load_workbook

from plans.models import Outcome, PlanUpdate
from plans.report_pdf import report_html_to_pdf
from plans.reports import render_report_html, update_comparison
from plans.selectors.reports import issue_state
from tests.background_files import fetch_generated
from tests.plans.factories import edit_progress, first_row, issue, make_plan
from tests.queries import request_queries

pytestmark = pytest.mark.django_db

NEW_WORDS = "reviewed by the Compact Board"


@pytest.fixture
def two_updates(world: Any) -> tuple[Any, PlanUpdate, PlanUpdate]:
    plan = make_plan(world)
    one = issue(plan, day=datetime.date(2008, 11, 20))
    edit_progress(first_row(plan), f"Meetings held and {NEW_WORDS}")
    two = issue(plan, day=datetime.date(2009, 1, 26), summary="January update")
    return plan, one, two


def report_url(plan: Any, number: int, name: str = "plans:update_report") -> str:
    return reverse(name, args=[plan.slug, number])


def report_body(content: bytes) -> str:
    """The report itself, without the page chrome (whose CSRF token differs per request)."""
    html = content.decode()
    return html[html.index('id="plan-report"') : html.index("<footer")]


def pdf_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def is_blue(color: Any) -> bool:
    if not color or len(color) != 3:
        return False
    red, _green, blue = color
    return blue > 0.5 and red < 0.2


def inserted_words_are_blue(pdf: bytes, words: str) -> bool:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            chars = page.chars
            text = "".join(char["text"] for char in chars)
            start = text.find(words.replace(" ", ""))
            if start == -1:
                text_with_spaces = "".join(char["text"] for char in chars)
                start = text_with_spaces.find(words)
            if start == -1:
                continue
            span = chars[start : start + len(words.replace(" ", ""))]
            return all(is_blue(char["non_stroking_color"]) for char in span)
    return False


# --- the report page ------------------------------------------------------------------------


def test_board_member_sees_update_heading_and_new_words_inside_ins(
    two_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = two_updates
    response = client_for("board").get(report_url(plan, 2))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Update 2 - dated 26 January 2009 (Changes from previous version in blue)" in html
    assert f"Meetings held<ins> and {NEW_WORDS}</ins>" in html
    assert "How to read the changes" in html  # the legend
    assert html.count("<h1") == 1


def test_issued_report_is_frozen_against_later_edits(two_updates: Any, client_for: Any) -> None:
    plan, _one, two = two_updates
    client = client_for("board")
    before = report_body(client.get(report_url(plan, 2)).content)
    pdf_before = client.get(report_url(plan, 2, "plans:update_report_pdf")).content
    edit_progress(first_row(plan), "Rewritten after the update was issued")
    after = report_body(client.get(report_url(plan, 2)).content)
    assert before == after
    assert "Rewritten after" not in after
    PlanUpdate.objects.filter(pk=two.pk).update(cached_pdf="", cached_pdf_key="")
    pdf_after = client.get(report_url(plan, 2, "plans:update_report_pdf")).content
    assert "Rewritten after" not in "".join(pdf_text(pdf_after))
    assert pdf_text(pdf_before) == pdf_text(pdf_after)


def test_changes_only_view_leaves_out_unchanged_rows(two_updates: Any, client_for: Any) -> None:
    plan, _one, _two = two_updates
    html = client_for("board").get(report_url(plan, 2, "plans:update_changes")).content.decode()
    assert NEW_WORDS in html
    assert "Outcome 1.1.2" not in html
    assert "Outcome 2.1.1" not in html


def test_html_in_user_text_is_escaped_on_the_page(world: Any, client_for: Any) -> None:
    plan = make_plan(world)
    issue(plan)
    edit_progress(first_row(plan), '<script>alert("x")</script> <img src="file:///etc/passwd">')
    issue(plan)
    html = client_for("board").get(report_url(plan, 2)).content.decode()
    assert '<script>alert("x")' not in html
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


@pytest.mark.parametrize(
    "url_name",
    ["plans:update_report", "plans:update_changes", "plans:update_export", "plans:update_word"],
)
def test_report_pages_cost_a_fixed_number_of_queries(
    world: Any, client_for: Any, url_name: str
) -> None:
    counts = []
    for size, slug in ((1, "small"), (4, "large")):
        plan = make_plan(world, objectives=size, tasks=size, rows=size, slug=slug)
        issue(plan)
        for row in Outcome.objects.filter(plan=plan):
            edit_progress(row, "Edited " + row.outcome)
        issue(plan)
        client = client_for("board")
        args = [plan.slug, 2, "csv"] if url_name == "plans:update_export" else [plan.slug, 2]
        with request_queries() as captured:
            assert client.get(reverse(url_name, args=args)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert 0 < counts[1] <= 12


def test_an_issued_report_is_rendered_once_then_read_from_the_cache(
    two_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = two_updates
    client = client_for("board")
    pages = []
    for _ in range(2):
        with request_queries() as captured:
            pages.append(client.get(report_url(plan, 2)).content.decode())
        pages.append(len(captured.captured_queries))
    first, first_queries, again, again_queries = pages

    def report(page: str) -> str:  # the report itself, without the per-request CSRF token
        return page.split('id="plan-report"', 1)[1].split("</main>", 1)[0]

    assert NEW_WORDS in first and report(again) == report(first)
    # The second request reads neither stored snapshot.
    assert again_queries < first_queries
    assert not any("plans_updatesnapshot" in q["sql"] for q in captured.captured_queries)
    # The changes-only page and the other language are rendered on their own.
    changes = client.get(report_url(plan, 2, "plans:update_changes")).content.decode()
    assert NEW_WORDS in changes and report(changes) != report(first)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    welsh = client.get(report_url(plan, 2)).content.decode()
    assert 'lang="cy"' in welsh and NEW_WORDS in welsh


def test_draft_and_issue_pages_cost_a_fixed_number_of_queries(world: Any, client_for: Any) -> None:
    counts = []
    for size, slug in ((1, "small"), (4, "large")):
        plan = make_plan(world, objectives=size, tasks=size, rows=size, slug=slug)
        issue(plan)
        for row in Outcome.objects.filter(plan=plan):
            edit_progress(row, "Draft " + row.outcome)
        client = client_for("officer")
        with request_queries() as captured:
            client.get(reverse("plans:draft_changes", args=[plan.slug]))
            client.get(reverse("plans:update_issue", args=[plan.slug]))
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_compare_any_two_updates(two_updates: Any, client_for: Any, world: Any) -> None:
    plan, _one, _two = two_updates
    edit_progress(first_row(plan), "Third version")
    issue(plan, day=datetime.date(2009, 4, 1))
    url = reverse("plans:update_compare", args=[plan.slug]) + "?since=1&until=3"
    html = client_for("board").get(url).content.decode()
    assert "Update 3 - dated 1 April 2009 (Changes since Update 1 in blue)" in html
    assert "<ins>Third version</ins>" in html or "<ins> Third version" in html
    wrong = client_for("board").get(reverse("plans:update_compare", args=[plan.slug]) +
                                     "?since=3&until=1")  # fmt: skip
    assert "Choose an earlier update" in wrong.content.decode()


def test_compare_form_offers_the_newest_update_against_the_one_before(
    two_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = two_updates
    edit_progress(first_row(plan), "Third version")
    issue(plan, day=datetime.date(2009, 4, 1))
    for url in (
        reverse("plans:update_list", args=[plan.slug]),
        reverse("plans:update_compare", args=[plan.slug]),
    ):
        html = client_for("board").get(url).content.decode()
        since = re.search(r'<select name="since".*?</select>', html, re.S).group(0)
        until = re.search(r'<select name="until".*?</select>', html, re.S).group(0)
        assert '<option value="2" selected>' in since, url
        assert '<option value="3" selected>' in until, url


def test_progress_report_lists_rows_achieved_between_updates(
    two_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = two_updates
    edit_progress(first_row(plan), "All done", status="achieved")
    issue(plan, day=datetime.date(2009, 4, 1))
    url = reverse("plans:progress_report", args=[plan.slug]) + "?since=2&until=3"
    html = client_for("board").get(url).content.decode()
    assert "1 row achieved in this period." in html
    assert "All done" in html
    pdf = fetch_generated(
        client_for("board"), reverse("plans:progress_pdf", args=[plan.slug]) + "?since=2&until=3"
    )
    assert "All done" in "".join(pdf_text(pdf))


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_has_heading_in_running_header_page_numbers_and_blue_insertions(
    two_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = two_updates
    response = client_for("board").get(report_url(plan, 2, "plans:update_report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content)
    for number, text in enumerate(pages, start=1):
        assert "Update 2 - dated 26 January 2009" in text
        assert f"Page {number} of {len(pages)}" in text
    assert inserted_words_are_blue(response.content, NEW_WORDS)


def test_parallel_pdf_numbers_pages_across_sections(two_updates: Any) -> None:
    _plan, _one, two = two_updates
    html = render_report_html(update_comparison(two), for_pdf=True)
    _serial, _serial_stats = report_html_to_pdf(html, parallel=False)
    parallel, stats = report_html_to_pdf(html, parallel=True, workers=2)
    assert stats.parallel and stats.sections == 2
    assert stats.pages == 2  # each section starts a page
    texts = pdf_text(parallel)
    assert "Statement of objective 2" not in texts[0]
    assert _serial_stats.pages <= stats.pages
    assert "Page 1 of 2" in texts[0] and "Page 2 of 2" in texts[1]
    assert all("Update 2 - dated 26 January 2009" in text for text in texts)
    assert inserted_words_are_blue(parallel, NEW_WORDS)


def test_objectives_flow_on_in_one_pass_without_a_forced_page_break(world: Any) -> None:
    plan = make_plan(world, objectives=2, tasks=1, rows=1)
    issue(plan)
    edit_progress(first_row(plan), f"Meetings held and {NEW_WORDS}")
    two = issue(plan)
    html = render_report_html(update_comparison(two), for_pdf=True)
    serial, stats = report_html_to_pdf(html, parallel=False)
    assert stats.pages == 1
    assert "Statement of objective 2" in pdf_text(serial)[0]


def test_html_in_user_text_is_harmless_in_the_pdf(world: Any, client_for: Any) -> None:
    plan = make_plan(world)
    issue(plan)
    edit_progress(first_row(plan), '<img src="file:///etc/passwd"> <b>bold</b>')
    issue(plan)
    pdf = client_for("board").get(report_url(plan, 2, "plans:update_report_pdf")).content
    text = "".join(pdf_text(pdf))
    assert '<img src="file:///etc/passwd">' in text  # shown as text, not fetched
    assert "root:x:0:0" not in text


def test_second_pdf_download_comes_from_the_cache(two_updates: Any, client_for: Any) -> None:
    plan, _one, two = two_updates
    client = client_for("board")
    first = client.get(report_url(plan, 2, "plans:update_report_pdf")).content
    two.refresh_from_db()
    assert two.cached_pdf and two.cached_pdf_key
    cached_name = two.cached_pdf.name
    second = client.get(report_url(plan, 2, "plans:update_report_pdf")).content
    assert first == second
    two.refresh_from_db()
    assert two.cached_pdf.name == cached_name


# --- exports --------------------------------------------------------------------------------


def test_csv_export_has_every_row_with_its_change_and_defuses_formulas(
    world: Any, client_for: Any
) -> None:
    plan = make_plan(world)
    issue(plan)
    edit_progress(first_row(plan), '=HYPERLINK("http://evil")')
    issue(plan)
    response = client_for("board").get(reverse("plans:update_export", args=[plan.slug, 2, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Objective", "Task", "Outcomes / Indicators"]
    assert len(rows) == 1 + 8
    edited = [row for row in rows if row[7] == "Changed"]
    assert len(edited) == 1 and edited[0][5].startswith("'=")


def test_excel_export_opens_with_the_rows(two_updates: Any, client_for: Any) -> None:
    plan, _one, _two = two_updates
    response = client_for("board").get(reverse("plans:update_export", args=[plan.slug, 2, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 8
    assert any(NEW_WORDS in (cell.value or "") for cell in sheet["F"])


def test_export_report_command_writes_pdf_html_and_csv(two_updates: Any, tmp_path: Any) -> None:
    plan, _one, _two = two_updates
    for fmt in ("pdf", "html", "csv"):
        out = tmp_path / f"report.{fmt}"
        call_command("export_report", plan=plan.slug, update=2, format=fmt, out=str(out))
        assert out.stat().st_size > 0
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert NEW_WORDS in (tmp_path / "report.html").read_text()
    call_command("export_report", plan=str(plan.pk), update=2, format="csv",
                 out=str(tmp_path / "by-id.csv"))  # fmt: skip
    assert NEW_WORDS in (tmp_path / "by-id.csv").read_text()


# --- issuing and the draft ------------------------------------------------------------------


def test_officer_previews_draft_changes_and_issues_the_next_update(
    two_updates: Any, client_for: Any, world: Any
) -> None:
    plan, _one, _two = two_updates
    edit_progress(first_row(plan), "Draft progress not yet issued")
    client = client_for("officer")
    draft = client.get(reverse("plans:draft_changes", args=[plan.slug])).content.decode()
    assert "changes since Update 2 (not issued)" in draft
    assert "Draft progress not yet issued" in draft
    preview = client.get(reverse("plans:update_issue", args=[plan.slug])).content.decode()
    assert "Draft progress not yet issued" in preview
    response = client.post(
        reverse("plans:update_issue", args=[plan.slug]),
        {"date": "2009-04-01", "summary": "April update", "state": issue_state(plan)},
    )
    assert response.status_code == 302
    assert response["Location"] == report_url(plan, 3)
    update = PlanUpdate.objects.get(plan=plan, number=3)
    assert update.issued_by == world.users["officer"]
    assert update.summary == "April update"


def test_issuing_with_a_date_before_the_last_update_is_refused(
    two_updates: Any, client_for: Any
) -> None:
    plan, _one, _two = two_updates
    edit_progress(first_row(plan), "Edited since Update 2")
    response = client_for("officer").post(
        reverse("plans:update_issue", args=[plan.slug]),
        {"date": "2008-01-01", "summary": "", "state": issue_state(plan)},
    )
    assert response.status_code == 200
    assert "cannot be before the previous update" in response.content.decode()
    assert PlanUpdate.objects.filter(plan=plan).count() == 2


def test_board_member_cannot_see_the_draft_or_issue(two_updates: Any, client_for: Any) -> None:
    plan, _one, _two = two_updates
    client = client_for("board")
    assert client.get(reverse("plans:draft_changes", args=[plan.slug])).status_code == 403
    assert client.post(reverse("plans:update_issue", args=[plan.slug]),
                       {"date": "2009-04-01"}).status_code == 403  # fmt: skip
    assert PlanUpdate.objects.filter(plan=plan).count() == 2


# --- public plans ---------------------------------------------------------------------------


def test_anonymous_visitor_reads_a_public_plan_but_not_a_private_one(
    world: Any, client_for: Any
) -> None:
    public_plan = make_plan(world, slug="public-plan", is_public=True)
    private_plan = make_plan(world, slug="private-plan")
    issue(public_plan)
    issue(private_plan)
    client = client_for("anonymous")
    assert client.get(report_url(public_plan, 1)).status_code == 200
    assert client.get(report_url(private_plan, 1)).status_code == 404
    assert client.get(report_url(private_plan, 1, "plans:update_report_pdf")).status_code == 404
    assert client.get(reverse("plans:update_list", args=[private_plan.slug])).status_code == 404
    draft = client.get(reverse("plans:draft_changes", args=[public_plan.slug]))
    assert draft.status_code == 302  # drafts are never public


# --- board pack paper and the index ---------------------------------------------------------


def test_board_pack_paper_offers_each_update_and_renders_the_cached_pdf(
    two_updates: Any,
) -> None:
    from compact.papers import PaperProvider
    from compact.platform import registry

    plan, _one, two = two_updates
    provider = registry.get(PaperProvider, "plans.update_report")
    assert provider is not None and provider.standing
    values = [option.value for option in provider.options()]
    assert values[0] == "latest"
    assert f"{plan.pk}:2" in values and f"{plan.pk}:1" in values
    paper = provider.render(f"{plan.pk}:2", localdate())
    assert paper.pdf.startswith(b"%PDF")
    assert "Update 2 - dated 26 January 2009" in paper.title
    assert provider.fingerprint("latest", localdate()) == provider.fingerprint(
        f"{plan.pk}:2", localdate()
    )
    assert provider.fingerprint(f"{plan.pk}:1", localdate()) != provider.fingerprint(
        f"{plan.pk}:2", localdate()
    )
    two.refresh_from_db()
    assert two.cached_pdf_key  # rendered once, served from the cache afterwards


def test_update_index_shows_visitors_public_plans_only(world: Any, client_for: Any) -> None:
    public_plan = make_plan(world, slug="public-plan", is_public=True)
    make_plan(world, slug="private-plan")
    issue(public_plan)
    anonymous = client_for("anonymous").get(reverse("plans:update_index"))
    assert anonymous.status_code == 302
    assert anonymous["Location"] == reverse("plans:update_list", args=["public-plan"])
    board = client_for("board").get(reverse("plans:update_index")).content.decode()
    assert "private-plan" in board and "public-plan" in board


def test_dashboard_shows_each_reader_the_latest_update(
    two_updates: Any, client_for: Any, world: Any
) -> None:
    plan, _one, _two = two_updates
    for role in ("board", "officer", "representative"):
        page = client_for(role).get(reverse("home")).content.decode()
        assert "Implementation plan: latest update" in page, role
        assert "Update 2, dated 26 January 2009</strong>: January update" in page
        assert f'href="{report_url(plan, 2)}"' in page


def test_latest_update_panel_costs_two_queries_whatever_the_number_of_plans(
    world: Any, client_for: Any
) -> None:
    from plans.panels import latest_update_panel_context

    client_for("board")  # signs the board user in
    request = type("Request", (), {"user": world.users["board"]})()
    counts = []
    for slug in ("first", "second", "third"):
        issue(make_plan(world, slug=slug))
        with request_queries() as captured:
            entries = latest_update_panel_context(request)["entries"]
        counts.append(len(captured.captured_queries))
    assert [entry["plan"].slug for entry in entries] == ["third", "second", "first"]
    assert counts == [2, 2, 2]


def test_no_latest_update_panel_before_anything_is_issued(world: Any, client_for: Any) -> None:
    make_plan(world)
    page = client_for("board").get(reverse("home")).content.decode()
    assert "Implementation plan: latest update" not in page


def test_draft_report_is_cached_until_the_plan_changes(
    two_updates: Any, client_for: Any, world: Any
) -> None:
    from plans import services

    plan, _one, _two = two_updates
    client = client_for("officer")
    url = reverse("plans:draft_changes", args=[plan.slug])

    def draft() -> str:  # the report, without the PDF button's per-request CSRF token
        page = client.get(url).content.decode()
        report = page.split('id="plan-report"', 1)[1].split("</main>", 1)[0]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", report)

    first = draft()
    with request_queries() as captured:
        assert draft() == first  # from the cache: no snapshot read, nothing diffed
    assert not any("plans_updatesnapshot" in q["sql"] for q in captured.captured_queries)
    row = first_row(plan)
    services.outcome_update(
        outcome=row,
        expected_version=row.version,
        data={"progress": "Edited after Update 2"},
        actor=world.users["officer"],
        reason="",
    )
    edited = draft()
    assert "Edited after Update 2" in edited and "1 changed, 0 removed" in edited
    services.outcome_delete(outcome=first_row(plan), actor=world.users["officer"], reason="")
    assert "0 changed, 1 removed" in draft()
    issue(plan, day=datetime.date(2009, 4, 1))
    assert "changes since Update 3" in draft()
