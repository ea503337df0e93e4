"""The officers' plan editor as a user meets it: pages, in-place edits, conflicts, filters."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact.demo import DEMO_DATA_DIR
from plans import services
from plans.models import ImplementationPlan, Objective, Outcome, Task
from tests.compact.factories import PersonFactory
from tests.plans.factories import make_objective, make_plan, make_row, make_task
from tests.queries import request_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(world: Any) -> Any:
    return make_plan(world, objectives=0)


def build(plan: Any, objectives: int, tasks: int, rows: int) -> None:
    for number in range(1, objectives + 1):
        objective = make_objective(plan, number=number)
        for task_number in range(tasks):
            task = make_task(objective, f"Task {number}.{task_number}")
            for row_number in range(rows):
                make_row(task, outcome=f"Outcome {row_number}", responsibility="TVA")


def test_plan_page_costs_the_same_queries_whatever_its_size(
    client_for: Any, plan: Any, django_assert_max_num_queries: Any
) -> None:
    build(plan, 2, 2, 2)
    client = client_for("officer")
    url = reverse("plans:plan_detail", kwargs={"slug": plan.slug})
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for number in range(3, 8):
        objective = make_objective(plan, number=number)
        for task_number in range(5):
            task = make_task(objective, f"Task {task_number}")
            for _ in range(3):
                make_row(task)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="row-') == 8 + 75


def test_a_long_plan_is_edited_one_objective_at_a_time(
    client_for: Any, plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(plan, 3, 2, 2)  # 12 rows, above the (lowered) threshold of 5
    monkeypatch.setattr("plans.views.plans.EDITOR_PAGE_ROWS", 5)
    first, second, third = plan.objectives.order_by("order")
    client = client_for("officer")
    url = reverse("plans:plan_detail", kwargs={"slug": plan.slug})

    page = client.get(url).content.decode()
    assert page.count('<tr id="row-') == 4  # only the first objective's rows
    assert f'id="objective-{first.pk}"' in page and f'id="objective-{second.pk}"' not in page
    assert "This plan has 12 rows, so the editor shows one objective at a time." in page
    assert f'href="?objective={first.pk}" aria-current="page"' in page
    assert f'href="?objective={second.pk}" rel="next"' in page and 'rel="prev"' not in page

    page = client.get(url, {"objective": second.pk}).content.decode()
    assert f'id="objective-{second.pk}"' in page and f'id="objective-{first.pk}"' not in page
    assert f'href="?objective={first.pk}" rel="prev"' in page
    assert f'href="?objective={third.pk}" rel="next"' in page

    # An objective of no such plan (deleted, or another plan's) shows the first, and says so.
    page = client.get(url, {"objective": "999999"}, follow=True).content.decode()
    assert f'id="objective-{first.pk}"' in page
    assert "That objective is not in this plan any more." in page


def test_after_an_edit_the_long_plan_opens_at_the_edited_objective(
    client_for: Any, plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(plan, 2, 1, 3)
    monkeypatch.setattr("plans.views.plans.EDITOR_PAGE_ROWS", 2)
    row = Outcome.objects.filter(task__objective__number=2).order_by("order").first()
    client = client_for("officer")
    response = client.post(
        reverse("plans:item_move", kwargs={"kind": "row", "pk": row.pk}),
        {"direction": "down", "reason": ""},
    )
    objective_id = row.task.objective_id
    assert response["Location"].endswith(f"?objective={objective_id}#row-{row.pk}")
    page = client.get(response["Location"]).content.decode()
    assert f'<tr id="row-{row.pk}"' in page


def test_a_short_plan_is_shown_whole(client_for: Any, plan: Any) -> None:
    build(plan, 3, 1, 2)
    page = client_for("officer").get(reverse("plans:plan_detail", args=[plan.slug])).content
    page = page.decode()
    assert page.count('<tr id="row-') == 6
    assert "one objective at a time" not in page
    assert 'rel="next"' not in page


def test_plan_page_reads_like_the_document(client_for: Any, plan: Any) -> None:
    task = make_task(make_objective(plan, number=3, statement="Help to foster <b>a sector</b>"))
    make_row(task, outcome="Establish Task Group", timescale="July 08", progress="Two meetings")
    html = client_for("officer").get(reverse("plans:plan_detail", args=[plan.slug])).content
    page = html.decode()
    assert "Objective 3" in page
    assert "Help to foster &lt;b&gt;a sector&lt;/b&gt;" in page
    for column in ("Tasks", "Outcomes / Indicators", "Timescale", "Responsibility", "Progress"):
        assert f'<th scope="col">{column}</th>' in page
    assert "Overdue" in page  # July 08 has passed and the row is not achieved


def test_officer_edits_a_row_in_place_with_htmx(client_for: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)), progress="Old words")
    client = client_for("officer")
    url = reverse("plans:row_edit", args=[row.pk])

    form = client.get(url, **HTMX)
    assert form.status_code == 200
    assert f'<tr id="row-{row.pk}"' in form.content.decode()
    assert 'name="version"' in form.content.decode()

    saved = client.post(
        url,
        {
            "outcome": row.outcome,
            "timescale": "Sept 09",
            "responsibility": "",
            "progress": "New words",
            "status": "in_progress",
            "version": row.version,
            "reason": "Officers Group update",
        },
        **HTMX,
    )
    page = saved.content.decode()
    assert saved.status_code == 200
    assert "New words" in page and "row-form" not in page
    row.refresh_from_db()
    assert row.progress == "New words" and row.version == 2
    assert row.history.first().history_change_reason == "Officers Group update"


def test_without_javascript_the_edit_link_is_a_page_and_redirects(
    client_for: Any, plan: Any
) -> None:
    row = make_row(make_task(make_objective(plan)))
    client = client_for("officer")
    url = reverse("plans:row_edit", args=[row.pk])
    page = client.get(url)
    assert "<h1>Edit row</h1>" in page.content.decode()
    response = client.post(
        url,
        {"outcome": "Changed", "status": "not_started", "version": 1},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#row-{row.pk}")


def test_second_officer_gets_a_conflict_page_with_both_texts(client_for: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)), progress="Original")
    client = client_for("officer")
    url = reverse("plans:row_edit", args=[row.pk])
    data = {"outcome": row.outcome, "status": "in_progress", "version": 1}
    client.post(url, {**data, "progress": "Alys: meeting held"})

    response = client.post(url, {**data, "progress": "Iolo: papers sent"})

    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this first" in page
    assert "Alys: meeting held" in page and "Iolo: papers sent" in page
    assert 'name="version" value="2"' in page
    row.refresh_from_db()
    assert row.progress == "Alys: meeting held"

    merged = client.post(url, {**data, "version": 2, "progress": "Meeting held; papers sent"})
    assert merged.status_code == 302
    row.refresh_from_db()
    assert row.progress == "Meeting held; papers sent" and row.version == 3


def test_conflict_page_shows_status_labels_not_codes(client_for: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)))
    client = client_for("officer")
    url = reverse("plans:row_edit", args=[row.pk])
    data = {"outcome": row.outcome, "version": 1}
    client.post(url, {**data, "status": "in_progress"})

    response = client.post(url, {**data, "status": "achieved"})

    table = response.content.decode().split("<table", 1)[1].split("</table>", 1)[0]
    assert "In progress" in table and "Achieved" in table
    assert "in_progress" not in table and "achieved<" not in table


def test_row_history_shows_before_and_after_with_the_words_marked(
    world: Any, client_for: Any, plan: Any
) -> None:
    row = make_row(make_task(make_objective(plan)), progress="Meeting held in May <b>")
    services.outcome_update(
        outcome=row,
        expected_version=1,
        data={"progress": "Meeting held in June <b>", "status": "in_progress"},
        actor=world.users["officer"],
        reason="Board minutes",
    )
    text = client_for("officer").get(reverse("plans:item_history", args=["row", row.pk]))
    page = text.content.decode()
    assert "Before:" in page and "After:" in page
    assert "Meeting held in <del>May</del> &lt;b&gt;" in page
    assert "Meeting held in <ins>June</ins> &lt;b&gt;" in page
    assert "<del>Not started</del>" in page and "<ins>In progress</ins>" in page


def test_conflict_during_htmx_edit_replaces_the_main_area(client_for: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)))
    services.outcome_update(outcome=row, expected_version=1, data={"progress": "x"}, actor=None)
    response = client_for("officer").post(
        reverse("plans:row_edit", args=[row.pk]),
        {"outcome": "y", "status": "in_progress", "version": 1, "progress": "mine"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#main"
    assert "Someone else saved this first" in response.content.decode()


def test_invalid_row_shows_a_clear_message_and_changes_nothing(client_for: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)))
    response = client_for("officer").post(
        reverse("plans:row_edit", args=[row.pk]),
        {"outcome": "", "timescale": "", "progress": "", "status": "achieved", "version": 1},
    )
    assert response.status_code == 422
    assert "Write at least an outcome" in response.content.decode()
    assert Outcome.objects.get(pk=row.pk).version == 1


def test_objective_and_task_edit_in_place(client_for: Any, plan: Any) -> None:
    objective = make_objective(plan)
    task = make_task(objective)
    client = client_for("officer")
    response = client.post(
        reverse("plans:objective_edit", args=[objective.pk]),
        {"number": 1, "title": "Board", "statement": "New statement", "version": 1},
        **HTMX,
    )
    assert "New statement" in response.content.decode()
    response = client.post(
        reverse("plans:task_edit", args=[task.pk]),
        {"description": "Renamed task", "version": 1},
        **HTMX,
    )
    assert "Renamed task" in response.content.decode()
    assert response.content.decode().startswith("<th")


def test_officer_adds_objective_task_and_row(client_for: Any, plan: Any) -> None:
    client = client_for("officer")
    client.post(reverse("plans:objective_add", args=[plan.slug]), {"number": 8, "statement": "New"})
    objective = Objective.objects.get(plan=plan, number=8)
    response = client.post(reverse("plans:task_add", args=[objective.pk]), {"description": "T"})
    task = Task.objects.get(objective=objective)
    assert response["Location"] == reverse("plans:row_add", args=[task.pk])
    client.post(
        reverse("plans:row_add", args=[task.pk]),
        {"outcome": "O", "timescale": "Nov 09", "status": "not_started", "reason": "New work"},
    )
    row = Outcome.objects.get(task=task)
    assert row.due_date == datetime.date(2009, 11, 30)
    assert row.history.first().history_change_reason == "New work"


def test_reorder_buttons_move_rows(client_for: Any, plan: Any) -> None:
    task = make_task(make_objective(plan))
    make_row(task, outcome="First")
    second = make_row(task, outcome="Second")
    client_for("officer").post(
        reverse("plans:item_move", args=["row", second.pk]), {"direction": "up"}
    )
    assert list(task.outcomes.order_by("order").values_list("outcome", flat=True)) == [
        "Second",
        "First",
    ]


def test_move_task_to_another_objective(client_for: Any, plan: Any) -> None:
    one, two = make_objective(plan, number=1), make_objective(plan, number=2)
    task = make_task(one)
    client_for("officer").post(
        reverse("plans:task_relocate", args=[task.pk]), {"objective": two.pk, "reason": "Fits 2"}
    )
    assert Task.objects.get(pk=task.pk).objective == two


def test_delete_asks_for_confirmation_first(client_for: Any, plan: Any) -> None:
    task = make_task(make_objective(plan))
    make_row(task)
    client = client_for("officer")
    url = reverse("plans:item_delete", args=["task", task.pk])
    page = client.get(url).content.decode()
    assert "Delete this task?" in page and "Its 1 rows are deleted with it." in page
    assert Task.objects.filter(pk=task.pk).exists()
    client.post(url, {"reason": "Duplicate"})
    assert not Task.objects.filter(pk=task.pk).exists()


def test_history_page_shows_who_when_and_why(world: Any, client_for: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)))
    services.outcome_update(
        outcome=row,
        expected_version=1,
        data={"progress": "Done"},
        actor=world.users["officer"],
        reason="Board minutes",
    )
    page = client_for("officer").get(reverse("plans:item_history", args=["row", row.pk]))
    text = page.content.decode()
    assert "Board minutes" in text and "officer-user" in text and "Done" in text


def test_rows_filter_by_person_status_and_due(
    world: Any, client_for: Any, plan: Any, django_assert_max_num_queries: Any
) -> None:
    person = PersonFactory(full_name="Iolo Davies", initials="ID")
    task = make_task(make_objective(plan))
    make_row(task, outcome="Iolo's row", responsibility="ID", timescale="Sept 08")
    make_row(task, outcome="Board row", responsibility="Board", timescale="Sept 30")
    client = client_for("officer")
    url = reverse("plans:plan_rows", args=[plan.slug])
    with django_assert_max_num_queries(15):
        page = client.get(url, {"person": person.pk, "due": "overdue"}).content.decode()
    assert "Iolo&#x27;s row" in page and "Board row" not in page
    page = client.get(url, {"status": "achieved"}).content.decode()
    assert "No rows match these filters." in page


def test_rows_list_comes_in_pages_that_keep_the_filters(
    client_for: Any, plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("plans.views.plans.ROWS_PAGE_SIZE", 2)
    task = make_task(make_objective(plan))
    for number in range(5):
        make_row(task, outcome=f"Open row {number}", responsibility="TVA")
    make_row(task, outcome="Done row", status="achieved")
    client = client_for("officer")
    url = reverse("plans:plan_rows", args=[plan.slug])
    page = client.get(url, {"organisation": "", "status": "not_started"}).content.decode()
    assert "5 rows" in page and "Page 1 of 3" in page
    assert "Open row 0" in page and "Open row 2" not in page
    # The next page's link keeps the filter.
    assert 'href="?organisation=&amp;status=not_started&amp;page=2" rel="next"' in page
    last = client.get(url, {"status": "not_started", "page": "3"}).content.decode()
    assert "Open row 4" in last and "Done row" not in last and 'rel="next"' not in last


def test_rows_list_finds_rows_by_their_words(client_for: Any, plan: Any) -> None:
    task = make_task(make_objective(plan), "Funding <b>code</b> of practice")
    make_row(task, outcome="Agree the funding code", progress="Draft with the council")
    make_row(task, outcome="Publish it", progress="Printed and circulated to the sector")
    other = make_task(make_objective(plan, number=2), "Volunteering")
    make_row(other, outcome="Volunteering week", progress="Circulated to schools")
    url = reverse("plans:plan_rows", args=[plan.slug])
    client = client_for("officer")
    # Every word must be found somewhere in the row or its task, whatever the case.
    page = client.get(url, {"text": "CIRCULATED sector"}).content.decode()
    assert "1 row" in page and "Publish it" in page and "Volunteering week" not in page
    page = client.get(url, {"text": "funding"}).content.decode()
    assert "2 rows" in page  # the task's description counts for both of its rows
    page = client.get(url, {"text": "<script>"}).content.decode()
    assert "No rows match these filters." in page and "<script>" not in page


def test_my_actions_include_rows_of_my_organisation(world: Any, client_for: Any, plan: Any) -> None:
    task = make_task(make_objective(plan))
    make_row(task, outcome="For TVA", responsibility="TVA")  # officer's Person is in TVA
    make_row(task, outcome="For TC", responsibility="TC")
    page = client_for("officer").get(reverse("plans:plan_rows", args=[plan.slug]), {"mine": "on"})
    text = page.content.decode()
    assert "For TVA" in text and "For TC" not in text


def test_dashboard_panel_lists_overdue_rows_with_fixed_queries(
    client_for: Any, plan: Any, django_assert_max_num_queries: Any
) -> None:
    task = make_task(make_objective(plan))
    make_row(task, outcome="Late row", timescale="Sept 08", responsibility="TVA")
    client = client_for("officer")
    client.get(reverse("home"))
    # 35: the panels of every app, My actions among them (person, actions, plan, rows count),
    # the register's four counts (the same with no partnerships as with many).
    with django_assert_max_num_queries(35) as first:
        page = client.get(reverse("home")).content.decode()
    assert "Implementation plan: actions" in page and "Late row" in page
    for _ in range(10):
        make_row(task, outcome="Another late row", timescale="Sept 08", responsibility="TVA")
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    # Eight shown, all eleven counted, and a link to the rest.
    assert "Overdue (11)" in page and "Rows I answer for (11)" in page
    assert page.count("Another late row") == 2 * 7  # overdue and mine
    assert "All overdue rows" in page


def test_dashboard_panel_links_to_the_plan(client_for: Any, plan: Any) -> None:
    """The officer's way from the dashboard to the plan (and its "Issue an update")."""
    page = client_for("officer").get(reverse("home")).content.decode()
    assert f'<a href="{plan.get_absolute_url()}">{plan.title}</a>' in page


def test_board_members_see_no_plan_panel(client_for: Any, plan: Any) -> None:
    page = client_for("board").get(reverse("home")).content.decode()
    assert "Implementation plan: actions" not in page


def test_upload_page_imports_the_seed(world: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile(
        "plan.txt", (DEMO_DATA_DIR / "implementation-plan-update-4.txt").read_bytes()
    )
    officer = client_for("officer")
    response = officer.post(reverse("plans:plan_import"), {"file": upload, "slug": "uploaded"})
    assert response.status_code == 302
    # 51 rows in the document, one of them split into six (see test_import.py).
    assert ImplementationPlan.objects.get(slug="uploaded").outcomes.count() == 56
    followed = officer.get(response["Location"]).content.decode()
    assert "split into 6 rows" in followed


def test_upload_of_a_broken_file_names_the_problem(world: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile("plan.txt", b"\tOBJECTIVE 1\nStatement\n\tTask\n")
    response = client_for("officer").post(reverse("plans:plan_import"), {"file": upload})
    assert response.status_code == 422
    assert "Objective 1: expected the table header" in response.content.decode()
    assert not ImplementationPlan.objects.exists()


def test_officer_creates_a_plan_and_makes_it_public(world: Any, client_for: Any) -> None:
    client = client_for("officer")
    response = client.post(
        reverse("plans:plan_create"),
        {"title": "Implementation Plan 2011-2014", "slug": "plan-2011", "period": "2011-2014"},
    )
    assert response.status_code == 302
    plan = ImplementationPlan.objects.get(slug="plan-2011")
    assert not plan.is_public
    client.post(
        reverse("plans:plan_settings", args=[plan.slug]),
        {"title": "Implementation Plan 2011-2014", "period": "2011-2014", "is_public": "on"},
    )
    plan.refresh_from_db()
    assert plan.is_public


def test_a_plan_cannot_take_a_slug_the_site_uses(world: Any, client_for: Any) -> None:
    response = client_for("officer").post(
        reverse("plans:plan_create"), {"title": "Import", "slug": "import"}
    )
    assert response.status_code == 422
    assert "used by the site itself" in response.content.decode()


def test_task_history_names_the_objectives_it_moved_between(client_for: Any, plan: Any) -> None:
    one, two = make_objective(plan, number=1), make_objective(plan, number=2)
    task = make_task(one)
    services.task_move_to_objective(task=task, objective=two, actor=None, reason="Fits 2")
    page = client_for("officer").get(reverse("plans:item_history", args=["task", task.pk]))
    text = page.content.decode()
    assert "Objective 2" in text and "Objective 1" in text and "Fits 2" in text


def test_my_actions_list_rows_naming_me_first(world: Any, client_for: Any, plan: Any) -> None:
    world.people["officer"].initials = "ID"
    world.people["officer"].save()
    task = make_task(make_objective(plan))
    make_row(task, outcome="Organisation row", responsibility="TVA")
    make_row(task, outcome="Named row", responsibility="ID")
    page = client_for("officer").get(reverse("home")).content.decode()
    mine = page[page.index("Rows I answer for") :]
    assert mine.index("Named row") < mine.index("Organisation row")
    assert "names you" in mine


def test_deferred_and_achieved_rows_are_never_overdue_anywhere(
    world: Any, client_for: Any, plan: Any
) -> None:
    """One rule for "overdue": the dashboard, the rows list and its filter, each row's badge,
    the model and the daily reminder all leave deferred and achieved rows out."""
    from django.core import mail

    from compact.platform.reminders import run_reminders

    task = make_task(make_objective(plan))
    late = make_row(task, outcome="Late row", timescale="Sept 08", responsibility="TVA")
    deferred = make_row(
        task, outcome="Deferred row", timescale="Sept 08", responsibility="TVA", status="deferred"
    )
    achieved = make_row(
        task, outcome="Achieved row", timescale="Sept 08", responsibility="TVA", status="achieved"
    )
    assert late.is_overdue() and not deferred.is_overdue() and not achieved.is_overdue()
    client = client_for("officer")
    home = client.get(reverse("home")).content.decode()
    assert "Overdue (1)" in home
    listed = client.get(reverse("plans:plan_rows", args=[plan.slug]), {"due": "overdue"})
    text = listed.content.decode()
    assert "Late row" in text and "Deferred row" not in text and "Achieved row" not in text
    every_row = client.get(reverse("plans:plan_rows", args=[plan.slug])).content.decode()
    assert every_row.count('rag-red">Overdue<') == 1
    run_reminders(today=datetime.date.today(), only=["plans.overdue_rows"])
    assert "Late row" in mail.outbox[0].body and "Deferred row" not in mail.outbox[0].body


def _merge_form_values(page: str) -> dict[str, str]:
    """What the conflict page's merge form would post: textareas, the selected status, version."""
    form = page.split("Merge and save", 1)[1]
    values = {
        name: html.unescape(text.lstrip("\n"))
        for name, text in re.findall(r'<textarea name="(\w+)"[^>]*>(.*?)</textarea>', form, re.S)
    }
    select = form.split('name="status"', 1)[1].split("</select>", 1)[0]
    values["status"] = re.search(r'<option value="(\w+)" selected>', select).group(1)  # type: ignore[union-attr]
    values["version"] = re.search(r'name="version" value="(\d+)"', form).group(1)  # type: ignore[union-attr]
    return values


def _row_table_line(page: str, label: str) -> str:
    table = page.split("<table", 1)[1].split("</table>", 1)[0]
    return table.split(f'<th scope="row">{label}', 1)[1].split("</tr>", 1)[0]


def test_conflict_merges_fields_changed_on_one_side_only_and_the_merge_keeps_both(
    client_for: Any, plan: Any
) -> None:
    """Alys changed the timescale; Iolo, from the same version, changed only the status. The
    merge form keeps Alys's timescale and Iolo's status, flags nothing, and saving it keeps both
    (before: every field held Iolo's stale text and the save reverted Alys's timescale)."""
    row = make_row(make_task(make_objective(plan)), timescale="Dec 07", progress="Drafted")
    url = reverse("plans:row_edit", args=[row.pk])
    loaded = {
        "outcome": row.outcome,
        "timescale": "Dec 07",
        "responsibility": "",
        "progress": "Drafted",
        "status": "not_started",
        "version": 1,
    }
    alys, iolo = client_for("officer"), client_for("officer")
    assert alys.post(url, {**loaded, "timescale": "March 2008"}).status_code == 302

    with request_queries() as counted:
        response = iolo.post(url, {**loaded, "status": "in_progress"})

    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by them only (kept)" in _row_table_line(page, "Timescale")
    assert "changed by you only (kept)" in _row_table_line(page, "Status")
    assert "In progress" in _row_table_line(page, "Status")
    assert "unchanged" in _row_table_line(page, "Progress")
    assert "changed by both" not in page
    values = _merge_form_values(page)
    assert values["timescale"] == "March 2008" and values["status"] == "in_progress"
    assert values["progress"] == "Drafted" and values["version"] == "2"

    merged = iolo.post(url, values)
    assert merged.status_code == 302
    row.refresh_from_db()
    assert (row.timescale, row.status, row.progress, row.version) == (
        "March 2008",
        "in_progress",
        "Drafted",
        3,
    )
    # The ancestor costs one query whatever the row's history: a longer history, same count.
    for number in range(5):
        row = services.outcome_update(
            outcome=row,
            expected_version=row.version,
            data={"progress": f"Step {number}"},
            actor=None,
        )
    row.refresh_from_db()
    with request_queries() as longer:
        again = iolo.post(url, {**loaded, "version": row.version - 1, "status": "achieved"})
    assert again.status_code == 409
    assert len(longer.captured_queries) == len(counted.captured_queries)


def test_conflict_flags_only_fields_both_changed_differently(client_for: Any, plan: Any) -> None:
    row = make_row(make_task(make_objective(plan)), progress="Drafted")
    url = reverse("plans:row_edit", args=[row.pk])
    loaded = {
        "outcome": row.outcome,
        "timescale": row.timescale,
        "progress": "Drafted",
        "status": "not_started",
        "version": 1,
    }
    client = client_for("officer")
    client.post(url, {**loaded, "progress": "Alys: meeting held", "status": "in_progress"})

    response = client.post(
        url, {**loaded, "progress": "Iolo: papers sent", "status": "in_progress"}
    )

    page = response.content.decode()
    assert "changed by both: choose" in _row_table_line(page, "Progress")
    assert "Alys: meeting held" in _row_table_line(page, "Progress")
    assert "Iolo: papers sent" in _row_table_line(page, "Progress")
    assert "changed the same way by both" in _row_table_line(page, "Status")
    assert "You both changed:" in page and "<strong>Progress</strong>" in page
    values = _merge_form_values(page)
    # The editor's text stays in the form for the field to choose; the agreed status is kept.
    assert values["progress"] == "Iolo: papers sent" and values["status"] == "in_progress"
    values["progress"] = "Alys: meeting held. Iolo: papers sent"
    assert client.post(url, values).status_code == 302
    row.refresh_from_db()
    assert (row.progress, row.status, row.version) == (
        "Alys: meeting held. Iolo: papers sent",
        "in_progress",
        3,
    )


def test_conflict_on_an_objective_merges_from_its_history(client_for: Any, plan: Any) -> None:
    objective = make_objective(plan, number=1, statement="Develop a Compact Board.")
    url = reverse("plans:objective_edit", args=[objective.pk])
    loaded = {"number": 1, "title": objective.title, "statement": objective.statement, "version": 1}
    client = client_for("officer")
    assert client.post(url, {**loaded, "title": "Board"}).status_code in (200, 302)

    response = client.post(url, {**loaded, "number": 2})

    page = response.content.decode()
    assert "changed by them only (kept)" in _row_table_line(page, "Short title")
    assert "changed by you only (kept)" in _row_table_line(page, "Number")
    assert 'name="title" value="Board"' in page.split("Merge and save", 1)[1]
