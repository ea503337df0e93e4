"""The plan update report's PDF in Welsh, in English or bilingual (Welsh first), each kept
once per language (issue 14, papers)."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from plans.reports import update_report_pdf
from tests.plans.factories import make_plan
from tests.plans.factories_reports import first_row, issue

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    """Without white space: text extraction splits some kerned words ("T udalen")."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def welsh_plan(world: Any) -> tuple[Any, Any]:
    plan = make_plan(world)
    plan.title_cy = "Cynllun y Compact"
    plan.save()
    row = first_row(plan)
    row.progress_cy = "Cyfarfodydd wedi’u cynnal"
    row.save()
    issue(plan, day=datetime.date(2008, 11, 20))
    row.progress_cy = "Cyfarfodydd wedi’u cynnal bob mis"
    row.save()
    update = issue(plan, day=datetime.date(2009, 1, 26), summary="January")
    return plan, update


def test_update_pdf_in_each_language_welsh_words_and_months_as_expected(
    welsh_plan: Any, client_for: Any
) -> None:
    plan, _update = welsh_plan
    url = reverse("plans:update_report_pdf", args=[plan.slug, 2])
    client = client_for("board")  # reads English: the language asked for wins
    welsh = pdf_text(client.get(url + "?language=cy").content)
    english_response = client.get(url + "?language=en")
    english = pdf_text(english_response.content)
    assert "Cynllun y Compact" in welsh and "Ionawr 2009" in welsh
    assert "Tudalen1o" in squeezed(welsh) and "Page1of" not in squeezed(welsh)
    assert "January 2009" not in welsh
    assert "Cynllun y Compact" not in english and "Ionawr" not in english
    assert "January 2009" in english and "Page1of" in squeezed(english)
    assert english_response["Content-Disposition"].endswith('update-2.pdf"')


def test_bilingual_update_pdf_has_the_welsh_version_first_then_the_english(
    welsh_plan: Any, client_for: Any
) -> None:
    plan, _update = welsh_plan
    url = reverse("plans:update_report_pdf", args=[plan.slug, 2]) + "?language=bilingual"
    response = client_for("board").get(url)
    assert response["Content-Disposition"].endswith('update-2-bilingual.pdf"')
    pdf = response.content
    text = pdf_text(pdf)
    assert text.index("Cynllun y Compact") < text.index("January 2009")
    assert text.index("Ionawr 2009") < text.index("January 2009")
    # Pages numbered through both versions, in both languages.
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    last = squeezed(reader.pages[-1].extract_text())
    assert f"Tudalen{total}o{total}/Page{total}of{total}" in last
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "cy"
        with document.open_outline() as outline:
            tops = [str(item.title) for item in outline.root]
        assert len(tops) == 2 and "Diweddariad 2" in tops[0] and "Update 2" in tops[1]
        # The English version's structure says it is English, for screen readers.
        top = document.Root.StructTreeRoot.K
        elements = []
        for element in top if isinstance(top, pikepdf.Array) else [top]:
            kids = element.get("/K")
            elements += list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        assert any(
            isinstance(kid, pikepdf.Dictionary) and str(kid.get("/Lang", "")) == "en"
            for kid in elements
        )


def test_each_language_is_rendered_once_and_kept_apart(welsh_plan: Any, monkeypatch: Any) -> None:
    plan, update = welsh_plan
    welsh = update_report_pdf(update, "cy")
    english = update_report_pdf(update, "en")
    both = update_report_pdf(update, "bilingual")
    assert len({welsh, english, both}) == 3

    def not_again(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendered twice")

    monkeypatch.setattr("plans.reports.render_report_pdf", not_again)
    monkeypatch.setattr("plans.reports.render_in", not_again)
    assert update_report_pdf(update, "cy") == welsh
    assert update_report_pdf(update, "en") == english
    assert update_report_pdf(update, "bilingual") == both
    for store in ("plans/update-pdf-cy", "plans/update-pdf-bilingual"):
        _dirs, files = default_storage.listdir(f"{store}/{plan.pk}")
        assert len(files) == 1


def test_unknown_language_is_not_found(welsh_plan: Any, client_for: Any) -> None:
    plan, _update = welsh_plan
    url = reverse("plans:update_report_pdf", args=[plan.slug, 2]) + "?language=fr"
    assert client_for("board").get(url).status_code == 404


def test_report_page_offers_the_other_languages(welsh_plan: Any, client_for: Any) -> None:
    plan, _update = welsh_plan
    html = client_for("board").get(reverse("plans:update_report", args=[plan.slug, 2]))
    page = html.content.decode()
    pdf = reverse("plans:update_report_pdf", args=[plan.slug, 2])
    assert f'href="{pdf}"' in page
    assert f'href="{pdf}?language=cy"' in page and f'href="{pdf}?language=bilingual"' in page
    assert f'href="{pdf}?language=en"' not in page  # the plain link is already English
