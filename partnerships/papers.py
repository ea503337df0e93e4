"""The compliance matrix as a PDF: a paper offered to board packs, and a file made in the
background for the matrix page's download (registered in ``PartnershipsConfig.ready()``)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.models import Commitment
from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform.access import Role
from compact.platform.background import FileProducer, ProducedFile
from compact.platform.pdf import render_pdf
from compact.platform.pdf.languages import language_suffix, paper_language
from partnerships.models import ComplianceCheck, Partnership
from partnerships.selectors import compliance_matrix

PAPER_KEY = "partnerships.compliance_matrix"


def matrix_title() -> str:
    return _("Keeping the Partnership Working Code: compliance matrix")


def matrix_context(as_of: datetime.date | None = None) -> dict[str, Any]:
    """What both the page and the paper show: the matrix and its labelled columns."""
    matrix = compliance_matrix()
    return {
        "matrix": matrix,
        "columns": list(zip(matrix.commitments, matrix.labels(), strict=True)),
        "generated_on": as_of or timezone.localdate(),
    }


def matrix_pdf(as_of: datetime.date | None = None, *, language: str | None = None) -> bytes:
    """The matrix rendered from the same data as the page, on landscape A4, in ``language``
    ("cy", "en", "bilingual"; the active one when None: a board pack renders each paper in
    its own language(s)). Partnership names are in the paper's language, the other marked."""
    return render_pdf(
        "partnerships/matrix_pdf.html",
        # A function: the column labels and title are words of each language.
        lambda: {**matrix_context(as_of), "title": matrix_title()},
        language=language,
    )


def _options() -> list[PaperOption]:
    return [PaperOption(value="latest", label=_("The current register"))]


def _fingerprint(value: str, as_of: datetime.date) -> str:
    """Changes whenever a partnership, a check or a commitment changes (history ids only grow),
    or the day changes (the paper is dated)."""
    figures = [
        Partnership.history.aggregate(last=Max("history_id"), total=Count("history_id")),
        ComplianceCheck.history.aggregate(last=Max("history_id"), total=Count("history_id")),
        Commitment.history.aggregate(last=Max("history_id"), total=Count("history_id")),
    ]
    raw = f"{value}|{as_of}|{figures}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _render(value: str, as_of: datetime.date) -> RenderedPaper:
    return RenderedPaper(title=matrix_title(), pdf=matrix_pdf(as_of))


PROVIDER = PaperProvider(
    key=PAPER_KEY,
    label=gettext_lazy("Partnerships: keeping the Partnership Working Code (matrix)"),
    options=_options,
    fingerprint=_fingerprint,
    render=_render,
    roles=frozenset({Role.BOARD, Role.OFFICER}),  # as the matrix page (board_and_officers)
)


# --- The matrix's PDF, made in the background (1.6 s with 200 partnerships, more under load) --

MATRIX_PDF = "partnerships.matrix_pdf"


def _produce_matrix(key: str) -> ProducedFile:
    """``key``: the language asked for ("" for the reader's)."""
    language = paper_language(key)
    return ProducedFile(
        f"compliance-matrix-{timezone.localdate().isoformat()}{language_suffix(language)}.pdf",
        matrix_pdf(language=language),
    )


def file_producer() -> FileProducer:
    return FileProducer(
        kind=MATRIX_PDF,
        label=gettext_lazy("Compliance matrix (PDF)"),
        produce=_produce_matrix,
        roles=frozenset({Role.BOARD, Role.OFFICER}),  # as the matrix page (board_and_officers)
        back_url=lambda key: reverse("partnerships:matrix"),
        back_label=gettext_lazy("Back to the compliance matrix"),
    )
