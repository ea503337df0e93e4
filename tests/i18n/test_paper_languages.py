"""Representatives' and disputes papers, the signed code of conduct and the platform's
renderer in Welsh, in English or bilingual, Welsh first (issue 14, papers): real PDFs."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from compact.platform.pdf import render_pdf
from compact.platform.pdf.languages import UnknownPaperLanguage, paper_language, words
from disputes.papers import monitoring_pdf
from representatives.papers import render_report_pdf
from tests.background_files import fetch_generated
from tests.disputes.factories import dispute_world
from tests.representatives.factories import rep_world

pytestmark = pytest.mark.django_db

CODE_CY = "Cod Ymddygiad a Chytundeb Cynrychiolwyr y Trydydd Sector"
CODE_EN = "Third Sector Representatives Code of Conduct and Agreement"


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def test_paper_language_defaults_to_the_readers_and_refuses_others() -> None:
    with translation.override("cy"):
        assert paper_language() == "cy"
        assert words("bilingual", lambda: translation.gettext("Cover")) == "Clawr / Cover"
    assert paper_language() == "en" and paper_language("bilingual") == "bilingual"
    with pytest.raises(UnknownPaperLanguage):
        paper_language("fr")


def test_signed_code_of_conduct_in_each_language(world: Any, client: Any) -> None:
    rw = rep_world(world)
    client.force_login(world.users["representative"])
    url = reverse("representatives:signature_pdf", kwargs={"pk": rw.signature.pk})
    welsh = text_of(client.get(url + "?language=cy").content)
    english = text_of(client.get(url + "?language=en").content)
    both_response = client.get(url + "?language=bilingual")
    both = text_of(both_response.content)
    assert CODE_CY in welsh and CODE_EN not in welsh
    assert CODE_EN in english and CODE_CY not in english
    assert both.index(CODE_CY) < both.index(CODE_EN)
    assert "bilingual.pdf" in both_response["Content-Disposition"]
    assert client.get(url + "?language=xx").status_code == 404
    page = client.get(reverse("representatives:signature_detail", kwargs={"pk": rw.signature.pk}))
    assert f'href="{url}?language=bilingual"' in page.content.decode()


def test_representatives_report_in_each_language(world: Any) -> None:
    rep_world(world)
    welsh = text_of(render_report_pdf(language="cy"))
    english = text_of(render_report_pdf(language="en"))
    both = text_of(render_report_pdf(language="bilingual"))
    assert "Adroddiad y cynrychiolwyr" in welsh and "Representatives' report" not in welsh
    assert "Representatives' report" in english and "Adroddiad y cynrychiolwyr" not in english
    assert both.index("Adroddiad y cynrychiolwyr") < both.index("Representatives' report")
    assert re.search(r"Tudalen1o\d+/Page1of", re.sub(r"\s+", "", both))


def test_report_made_in_the_background_in_the_language_asked_for(
    world: Any, client_for: Any
) -> None:
    rep_world(world)
    client = client_for("board")  # reads English
    page = client.get(reverse("representatives:report")).content.decode()
    url = reverse("representatives:report_pdf")
    assert f'action="{url}?language=cy"' in page
    welsh = text_of(fetch_generated(client, url + "?language=cy"))
    assert "Adroddiad y cynrychiolwyr" in welsh and "Representatives' report" not in welsh


def test_disputes_monitoring_report_in_each_language_with_welsh_stage_names(world: Any) -> None:
    dispute_world(world)
    welsh = text_of(monitoring_pdf(language="cy"))
    english = text_of(monitoring_pdf(language="en"))
    both = text_of(monitoring_pdf(language="bilingual"))
    assert "Adroddiad monitro anghydfodau" in welsh and "Datrys anffurfiol" in welsh
    assert "Informal resolution" not in welsh and "Disputes monitoring report" not in welsh
    assert "Informal resolution" in english and "Datrys anffurfiol" not in english
    assert both.index("Datrys anffurfiol") < both.index("Informal resolution")


def test_render_pdf_bilingual_makes_each_languages_context_in_that_language(
    world: Any,
) -> None:
    pdf = render_pdf(
        "files/bodies_pdf.html",
        lambda: {"bodies": [], "title": translation.gettext("Board pack")},
        language="bilingual",
    )
    text = text_of(pdf)
    assert text.index("Pecyn y Bwrdd") < text.index("Board pack")
