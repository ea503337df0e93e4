"""The Board's anonymised monitoring report as a board-pack paper and as a PDF made in the
background."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform.access import Role
from compact.platform.background import FileProducer, ProducedFile
from compact.platform.pdf import render_pdf
from compact.platform.pdf.languages import language_suffix, paper_language
from disputes.selectors import (
    MonitoringReport,
    monitoring_report,
    monitoring_report_fingerprint,
)

PAPER_KEY = "disputes.monitoring_report"
MONITORING_PDF = "disputes.monitoring_pdf"
BOARD_AND_OFFICERS = frozenset({Role.BOARD, Role.OFFICER})  # as the monitoring report's page


def _paper_options() -> list[PaperOption]:
    return [PaperOption(value="latest", label=str(_("Disputes monitoring report (latest)")))]


def _paper_fingerprint(value: str, as_of: datetime.date) -> str:
    raw = f"{as_of}|{monitoring_report_fingerprint()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _title(report: MonitoringReport) -> str:
    # The month in the reader's language, from the stored date.
    return str(
        _("Disputes monitoring report, %(date)s")
        % {"date": date_format(report.generated_on, "d F Y")}
    )


def monitoring_pdf(today: datetime.date | None = None, language: str | None = None) -> bytes:
    """The report as PDF in ``language`` ("cy", "en", "bilingual"; the reader's when None).
    The report is read in each language: its rows carry labels made in the active one."""

    def context() -> dict[str, Any]:
        report = monitoring_report(today=today)
        return {"report": report, "title": _title(report)}

    return render_pdf("disputes/monitoring_report_pdf.html", context, language=language)


def _paper_render(value: str, as_of: datetime.date) -> RenderedPaper:
    return RenderedPaper(title=_title(monitoring_report(today=as_of)), pdf=monitoring_pdf(as_of))


def provider() -> PaperProvider:
    return PaperProvider(
        key=PAPER_KEY,
        label=_("Disputes monitoring report (anonymised)"),  # type: ignore[arg-type]
        options=_paper_options,
        fingerprint=_paper_fingerprint,
        render=_paper_render,
        standing=False,
        roles=BOARD_AND_OFFICERS,
    )


def _monitoring_pdf(key: str) -> ProducedFile:
    """``key``: the language asked for ("" for the reader's)."""
    language = paper_language(key)
    today = timezone.localdate()
    return ProducedFile(
        f"disputes-monitoring-{today:%Y-%m-%d}{language_suffix(language)}.pdf",
        monitoring_pdf(today, language),
    )


def _monitoring_page(key: str) -> str:
    return reverse("disputes:report")


def file_producer() -> FileProducer:
    return FileProducer(
        kind=MONITORING_PDF,
        label=_("Disputes monitoring report (PDF)"),  # type: ignore[arg-type]
        produce=_monitoring_pdf,
        roles=BOARD_AND_OFFICERS,
        back_url=_monitoring_page,
        back_label=_("Back to the monitoring report"),
    )
