"""{% widetable %}: a wide table scrolls inside its own named, focusable box, so the page never
scrolls sideways on a phone (the browser check is tests/browser/test_phone_width.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from tests.plans.access_cases_reports import report_plan

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_box_is_a_focusable_region_named_after_the_caption() -> None:
    html = render(
        "{% widetable %}<table><caption class='visually-hidden'>Tasks of <b>objective</b> "
        "{{ n }}</caption><tr><td>x</td></tr></table>{% endwidetable %}",
        n="1 & 2",
    )

    assert html.startswith(
        '<div class="table-scroll" role="region" aria-label="Tasks of objective 1 &amp; 2" '
        'tabindex="0"><table>'
    )
    assert html.endswith("</table></div>")


def test_an_explicit_label_wins_and_user_text_stays_escaped() -> None:
    html = render(
        "{% widetable label %}<table><caption>{{ name }}</caption></table>{% endwidetable %}",
        label='Members of "<Board>"',
        name="<script>alert(1)</script>",
    )

    assert 'aria-label="Members of &quot;&lt;Board&gt;&quot;"' in html
    assert "<script>" not in html


def test_a_table_without_a_name_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="must be named"):
        render("{% widetable %}<table><tr><td>x</td></tr></table>{% endwidetable %}")


def _screen_templates() -> list[Path]:
    """Templates shown in the browser (PDF and e-mail templates have no window to overflow)."""
    return [
        path
        for path in TEMPLATES.rglob("*.html")
        if "pdf" not in path.parts and "email" not in path.parts and "_pdf" not in path.name
    ]


def test_every_table_on_screen_sits_in_a_scrolling_box() -> None:
    unwrapped = [
        f"{path.relative_to(TEMPLATES)}: {count} table(s) outside {{% widetable %}}"
        for path in _screen_templates()
        if (count := len(re.findall(r"(?<!{% widetable %})<table\b", path.read_text())))
    ]
    assert not unwrapped, "\n".join(unwrapped)


@pytest.mark.django_db
def test_the_update_report_keeps_its_changes_marked_inside_the_box(world, client) -> None:
    plan = report_plan(world)

    response = client.get(reverse("plans:update_changes", args=[plan.slug, 2]))

    html = response.content.decode()
    box = re.search(
        r'<div class="table-scroll" role="region" aria-label="Tasks of objective 1" '
        r'tabindex="0">(.*?)</div>',
        html,
        re.DOTALL,
    )
    assert box, html
    assert "<ins>Edited for Update 2</ins>" in box.group(1)


@pytest.mark.django_db
def test_nobody_with_no_disputes_gets_an_empty_table(world, client) -> None:
    client.force_login(world.users["board"])

    html = client.get(reverse("disputes:list")).content.decode()

    assert "<p>You have no disputes to see.</p>" in html
    assert "<table" not in html
