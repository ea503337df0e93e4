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


def meetings_in_welsh(*, november: Any, february: Any, november_date: datetime.date) -> None:
    """The February agenda, the November minutes and decisions, and the actions."""
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
