"""The Representatives' report as a board-pack paper."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform.access import Role
from compact.platform.background import FileProducer, ProducedFile
from compact.platform.pdf import render_pdf
from compact.platform.pdf.languages import language_suffix, paper_language
from representatives import selectors
from representatives.models import SelectionRound

PAPER_KEY = "representatives.report"


def render_report_pdf(as_of: datetime.date | None = None, *, language: str | None = None) -> bytes:
    """The report as PDF in ``language`` ("cy", "en", "bilingual"; the reader's when None)."""
    return render_pdf(
        "representatives/pdf/report.html",
        # Read in each language: the report's rows may carry labels made in the active one.
        lambda: {
            "report": selectors.representatives_report(today=as_of),
            "title": _("Representatives' report"),
        },
        language=language,
    )


def _options() -> list[PaperOption]:
    return [
        PaperOption(value="latest", label=_("Representatives' report (as at the meeting date)"))
    ]


def _fingerprint(value: str, as_of: datetime.date) -> str:
    return selectors.report_fingerprint(as_of=as_of)


def _render(value: str, as_of: datetime.date) -> RenderedPaper:
    # "As at" the meeting's date: terms ending and feedback are counted from that day. In the
    # active language: the board pack renders each paper in the pack's language(s).
    return RenderedPaper(title=_("Representatives' report"), pdf=render_report_pdf(as_of))


def _produce_report(key: str) -> ProducedFile:
    """``key``: the language asked for ("" for the reader's)."""
    language = paper_language(key)
    return ProducedFile(
        f"representatives-report{language_suffix(language)}.pdf",
        render_report_pdf(language=language),
    )


def provider() -> PaperProvider:
    return PaperProvider(
        key=PAPER_KEY,
        label=_("Representatives' report: places, rounds, terms ending, codes, feedback"),
        options=_options,
        fingerprint=_fingerprint,
        render=_render,
        # A standing item: each new board agenda gets the report as at the pack date.
        standing=True,
        roles=frozenset({Role.OFFICER, Role.BOARD}),  # as the report page (views.report)
    )


# --- The report's PDF, made in the background (registered in RepresentativesConfig.ready()) --

REPORT_PDF = "representatives.report_pdf"


def file_producer() -> FileProducer:
    return FileProducer(
        kind=REPORT_PDF,
        label=gettext_lazy("Representatives' report (PDF)"),
        produce=_produce_report,
        roles=frozenset({Role.OFFICER, Role.BOARD}),
        back_url=lambda key: reverse("representatives:report"),
        back_label=gettext_lazy("Back to the representatives' report"),
    )


# --- The letter telling the statutory body who was elected ----------------------------------


def round_letter_context(selection_round: SelectionRound) -> dict[str, Any]:
    """The letter's data, with its words in the active language."""
    elected = [
        n
        for n in selection_round.nominations.select_related(
            "person", "person__organisation", "signup", "organisation"
        )
        if n.elected
    ]
    return {
        "round": selection_round,
        "place": selection_round.place,
        "partnership": selection_round.place.partnership,
        "elected": elected,
        "today": timezone.localdate(),
        "title": _("Third-sector representative: %(partnership)s")
        % {"partnership": selection_round.place.partnership},
    }


def round_letter_pdf(selection_round: SelectionRound, *, language: str | None = None) -> bytes:
    """The letter to the statutory body naming the representative, as PDF, in ``language``
    ("cy", "en", "bilingual": the Welsh letter, then the English; the reader's when None)."""
    return render_pdf(
        "representatives/pdf/letter.html",
        lambda: round_letter_context(selection_round),
        language=language,
    )
