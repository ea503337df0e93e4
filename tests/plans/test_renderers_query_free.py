"""The report path reads one way (issue 13): one selector builds the comparison, and the
renderers (HTML, CSV, Excel, Word) receive it and never query."""

from __future__ import annotations

from typing import Any

import pytest

from plans.report_docx import export_docx
from plans.reports import export_csv, export_xlsx, render_report_html, update_comparison
from tests.plans.factories import edit_progress, first_row, issue, make_plan

pytestmark = pytest.mark.django_db


def test_renderers_make_no_query(world: Any, django_assert_num_queries: Any, settings) -> None:
    # A cache that is not the database: the renderers' kept fragments must not count.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    officer = world.users["officer"]
    plan = make_plan(world, objectives=2, tasks=2, rows=2, actor=officer)
    issue(plan, actor=officer)
    edit_progress(first_row(plan), "Terms of reference agreed <b>in full</b>")
    update = issue(plan, actor=officer)
    comparison = update_comparison(update)
    comparison.changes  # the selector's work, done before rendering  # noqa: B018

    with django_assert_num_queries(0):
        html = render_report_html(comparison)
        csv_text = export_csv(comparison)
        xlsx = export_xlsx(comparison, title=plan.title)
        docx = export_docx(comparison)

    assert "in full" in csv_text and "&lt;b&gt;in full&lt;/b&gt;" in html
    assert xlsx[:2] == b"PK" and docx[:2] == b"PK"
