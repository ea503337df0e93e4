"""The Welsh of the demo's own content (compact/demo_data/compact-welsh.json): the public home
page, the codes register's titles and the Partnership Working Code's commitments, the Board's
February agenda, the November minutes, decisions and actions; and the representatives' Code of
Conduct (Appendix 2) from compact/demo_data/code-of-conduct-welsh.txt. Written with history,
only where the Welsh differs, so loading the demo twice changes nothing."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.utils import translation
from django.utils.formats import date_format

from compact.models import (
    Action,
    AgendaItem,
    CodeDocumentVersion,
    CodeOfPractice,
    Commitment,
    Decision,
    Minutes,
    Paper,
)
from compact.models.codes import CODE_OF_CONDUCT_SLUG
from compact.platform.history import save_with_history

REASON = "Demo: Welsh version"


def _welsh() -> dict[str, Any]:
    from compact.demo import DEMO_DATA_DIR

    return json.loads((DEMO_DATA_DIR / "compact-welsh.json").read_text(encoding="utf-8"))


def _give(record: Any, **welsh: str) -> None:
    changed = [name for name, text in welsh.items() if getattr(record, name) != text]
    if changed:
        for name in changed:
            setattr(record, name, welsh[name])
        # Frozen (approved) minutes are the demo's own: history, without the editors' checks.
        save_with_history(record, actor=None, reason=REASON, clean=False)


def compact_in_welsh(compact: Any) -> None:
    """The public home page's name, area, summary and contact details in Welsh."""
    _give(compact, **_welsh()["compact"])


def codes_in_welsh() -> None:
    """The register's titles and the commitments of the Partnership Working Code."""
    data = _welsh()
    for code in CodeOfPractice.objects.filter(title__in=data["code_titles"]):
        summary = data["code_summaries"].get(code.title, code.summary_cy)
        _give(code, title_cy=data["code_titles"][code.title], summary_cy=summary)
    for commitment in Commitment.objects.filter(code__title="Partnership Working Code of Practice"):
        text = data["commitments"].get(f"{commitment.party} {commitment.number}")
        if text:
            _give(commitment, text_cy=text)
    code_of_conduct_in_welsh()


def code_of_conduct_welsh() -> str:
    """The Welsh of the representatives' Code of Conduct (the seed's Appendix 2, as signed)."""
    from compact.demo import DEMO_DATA_DIR

    return (DEMO_DATA_DIR / "code-of-conduct-welsh.txt").read_text(encoding="utf-8").strip()


def code_of_conduct_in_welsh() -> None:
    """The register's Code of Conduct versions worded as the seed's Appendix 2 get its Welsh,
    so the signing page and the signed PDF read Welsh in Welsh."""
    from compact.demo import DEMO_DATA_DIR
    from compact.services.codes_import import parse_partnership_code

    seed = DEMO_DATA_DIR / "partnership-working-code-of-practice.txt"
    english = parse_partnership_code(seed.read_text(encoding="utf-8")).appendix_2
    for version in CodeDocumentVersion.objects.filter(
        code__slug=CODE_OF_CONDUCT_SLUG, text=english
    ):
        _give(version, text_cy=code_of_conduct_welsh())


def meetings_in_welsh(
    *,
    november: Any,
    february: Any,
    november_date: datetime.date,
    september_date: datetime.date | None = None,
) -> None:
    """The February agenda and its written and generated papers, the November minutes and
    decisions, and the actions."""
    data = _welsh()
    with translation.override("en"):
        english_day = f"{november_date.day} {november_date:%B %Y}"
    with translation.override("cy"):
        welsh_day = date_format(november_date, "j F Y")
    titles = {
        english.format(november=english_day): welsh.format(november=welsh_day)
        for english, welsh in data["agenda_items"].items()
    }
    for item in AgendaItem.objects.filter(meeting=february, title__in=titles):
        _give(item, title_cy=titles[item.title])
    papers_in_welsh(february, data, september_date)
    minutes = Minutes.objects.filter(meeting=november).first()
    if minutes is not None:
        _give(minutes, text_cy=data["minutes"])
    for decision in Decision.objects.filter(minutes__meeting=november):
        text = data["decisions"].get(decision.text)
        if text:
            _give(decision, text_cy=text)
    for action in Action.objects.filter(meeting__in=[november, february]):
        text = data["actions"].get(action.description)
        if text:
            _give(action, description_cy=text)


def papers_in_welsh(meeting: Any, data: dict[str, Any], september: datetime.date | None) -> None:
    """The written papers' Welsh (keyed by their English title), and the Welsh titles of
    generated papers named by code before there was Welsh."""
    from compact.services.meetings import in_both_languages

    with translation.override("cy"):
        welsh_month = date_format(september, "F Y") if september else ""
    for paper in Paper.objects.filter(item__meeting=meeting):
        welsh = data["papers"].get(paper.title)
        if paper.kind == Paper.Kind.WRITTEN and welsh:
            _give(
                paper,
                title_cy=welsh["title_cy"],
                text_cy=welsh["text_cy"].format(september=welsh_month),
            )
        elif paper.kind == Paper.Kind.GENERATED and not paper.title_cy:
            english, title_cy = in_both_languages(lambda paper=paper: _generated_title(paper))
            if title_cy and english == paper.title:
                _give(paper, title_cy=title_cy)


def _generated_title(paper: Any) -> str:
    """A generated paper's title as code names it, in the active language."""
    from compact.papers import PaperProvider
    from compact.platform import registry

    provider = registry.get(PaperProvider, paper.provider_key)
    if provider is None:
        return paper.title
    if paper.provider_value == "latest":
        label = translation.gettext("latest")
    else:
        options = {option.value: option.label for option in provider.options()}
        label = options.get(paper.provider_value, paper.provider_value)
    return f"{translation.gettext(str(provider.label))} ({label})"
