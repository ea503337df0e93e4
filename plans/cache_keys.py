"""Every cache key of the plans app, in one module: what a kept rendering depends on.

Issued updates never change, so their renderings are kept: the legend and tables of a report
(in the cache, per language), an update's PDF (stored on the update), two updates compared
(kept files). Each key holds what the rendering depends on: the templates, stylesheets and code
version (:func:`report_cache_key`), the updates and their issue times (a reused id, a deleted
update, never matches an old entry), the language, the Board paper's cover text, and for the
working draft the state of the plan's history, which every save and deletion moves on.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.utils.translation import get_language

from plans.models import ImplementationPlan, PlanUpdate
from plans.selectors.reports import draft_fingerprint

if TYPE_CHECKING:
    from plans.selectors.reports import PlanComparison

REPORT_TEMPLATE = "plans/update_report.html"
REPORT_CHANGES_TEMPLATE = "plans/_report_changes.html"
REPORT_TEMPLATES = (
    REPORT_TEMPLATE,
    REPORT_CHANGES_TEMPLATE,
    "plans/_report_body.html",
    "plans/_report_legend.html",
    "plans/_report_paper.html",
)
REPORT_CHANGES_CACHE_SECONDS = 7 * 24 * 3600
# Bump when the report's code changes the PDF's look without touching the files hashed below.
REPORT_CODE_VERSION = "4"  # 4: the page footer in the paper's language
HASHED_STATIC = ("css/pdf.css", "css/plans-reports-pdf.css", "css/plans-pdf-stamped.css")

WELSH_PDF_STORE = "plans/update-pdf-cy"  # issued updates' reports in Welsh (default storage)
BILINGUAL_PDF_STORE = "plans/update-pdf-bilingual"  # ... Welsh then English, in one file
COMPARE_STORE = "plans/compared"  # kept PDFs of two issued updates compared (default storage)


@cache
def report_cache_key() -> str:
    """Changes whenever the report template, its stylesheets or its code version change."""
    digest = hashlib.sha256(REPORT_CODE_VERSION.encode())
    for name in REPORT_TEMPLATES:
        origin = getattr(getattr(get_template(name), "template", None), "origin", None)
        if origin is not None and origin.name and Path(origin.name).exists():
            digest.update(Path(origin.name).read_bytes())
    for name in HASHED_STATIC:
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:32]


def frozen_key(comparison: PlanComparison) -> str:
    """What a report between two issued updates depends on: the template and code version and
    the two updates (their issue times keep a reused id, a deleted update, from matching)."""
    since, until = comparison.since, comparison.until
    return ":".join(
        [
            report_cache_key(),
            f"{until.pk}@{until.issued_at.isoformat()}" if until else "draft",
            f"{since.pk}@{since.issued_at.isoformat()}" if since else "start",
        ]
    )


def report_changes_key(comparison: PlanComparison, *, changes_only: bool) -> str:
    """The cache key of a report's legend and tables, in the active language."""
    parts = [get_language() or "", "changes" if changes_only else "full", frozen_key(comparison)]
    if comparison.until is None:
        parts.append(f"{comparison.plan.pk}:{draft_fingerprint(comparison.plan)}")
    return "plans:report-changes:" + hashlib.sha256(":".join(parts).encode()).hexdigest()


def update_pdf_key(update: PlanUpdate) -> str:
    """The template/code key plus the Board paper's cover text, which officers may edit."""
    cover = hashlib.sha256(
        "\0".join(
            [
                update.paper_purpose,
                update.paper_recommendation,
                str(update.issued_by_id),
                update.paper_purpose_cy,
                update.paper_recommendation_cy,
                update.summary,
                update.summary_cy,
            ]
        ).encode()
    )
    return f"{report_cache_key()}:{cover.hexdigest()[:16]}"


def update_pdf_fingerprint(update: PlanUpdate) -> str:
    return f"{update.pk}:{update_pdf_key(update)}"


def update_pdf_store(language: str) -> str:
    """Where an issued update's Welsh or bilingual PDF is kept (the English one is on the
    update)."""
    return BILINGUAL_PDF_STORE if language == "bilingual" else WELSH_PDF_STORE


def compare_pdf_path(
    plan: ImplementationPlan, comparison: PlanComparison, label: str, language: str = ""
) -> str:
    """Where the PDF of two issued updates compared is kept, in its language (the active one
    unless given; the report's words and dates are translated)."""
    parts = [language or get_language() or "", frozen_key(comparison)]
    fingerprint = hashlib.sha256(":".join(parts).encode()).hexdigest()[:32]
    return f"{COMPARE_STORE}/{plan.pk}/{label}-{fingerprint}.pdf"
