"""The plan's large PDFs (working draft, two updates compared, annual progress) made in the
background: the views queue them for a signed-in reader, the worker renders them, the status
page offers the file to its owner (``compact.platform.background``). Registered in
``PlansConfig.ready()``.

Issued update PDFs are cached once rendered, so they are still served in the request.
Keys carry what the page was asked for: the plan's slug, then the query string
(``"<slug>?since=1&until=2"``), so the worker renders exactly what the reader chose.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.platform.access import ALL_ROLES, Role, has_role
from compact.platform.background import FileProducer, ProducedFile
from compact.platform.pdf import render_pdf
from compact.platform.pdf.languages import (
    UnknownPaperLanguage,
    language_suffix,
    pages_numbered,
    paper_language,
    render_in,
)
from plans.cache_keys import compare_pdf_path
from plans.forms.reports import CompareForm, ProgressForm
from plans.models import ImplementationPlan, PlanUpdate
from plans.reports import format_date, render_report_pdf
from plans.selectors.reports import (
    latest_update,
    moment_of,
    plan_comparison,
    plan_progress,
    plan_updates,
)

DRAFT_PDF = "plans.draft_pdf"
COMPARE_PDF = "plans.compare_pdf"
PROGRESS_PDF = "plans.progress_pdf"


def readable(plan: ImplementationPlan, user: Any) -> bool:
    """May this visitor read the plan's issued updates (and reports made of them)?"""
    return plan.is_public or has_role(user, *ALL_ROLES)


def split_key(key: str) -> tuple[str, QueryDict]:
    slug, _sep, query = key.partition("?")
    return slug, QueryDict(query)


def plan_of(key: str) -> ImplementationPlan:
    slug, _params = split_key(key)
    plan = ImplementationPlan.objects.select_related("compact").filter(slug=slug).first()
    if plan is None:
        raise LookupError(f"No plan {slug!r}")
    return plan


# --- what each report shows (shared by the pages and the background producers) ----------------


def draft_comparison(plan: ImplementationPlan) -> Any:

    since = latest_update(plan)
    if since is not None:
        since.plan = plan
    return plan_comparison(plan=plan, since=since, until=None)


def compare_choice(
    params: QueryDict, plan: ImplementationPlan
) -> tuple[CompareForm, tuple[PlanUpdate, PlanUpdate] | None]:
    """The compare form and, when it is valid, the two updates chosen."""

    updates = list(plan_updates(plan))
    form = CompareForm(params or None, updates=updates)
    if not params or not form.is_valid():
        return form, None
    by_number = {update.number: update for update in updates}
    since, until = by_number[form.cleaned_data["since"]], by_number[form.cleaned_data["until"]]
    since.plan = until.plan = plan
    return form, (since, until)


def compare_comparison(params: QueryDict, plan: ImplementationPlan) -> tuple[CompareForm, Any]:

    form, chosen = compare_choice(params, plan)
    if chosen is None:
        return form, None
    return form, plan_comparison(plan=plan, since=chosen[0], until=chosen[1])


def progress_context(params: QueryDict, plan: ImplementationPlan) -> dict[str, Any]:

    updates = list(plan_updates(plan))
    form = ProgressForm(params or None, updates=updates)
    since_value: PlanUpdate | datetime.date | None = None
    until_value: PlanUpdate | datetime.date | None = None
    if params and form.is_valid():
        by_number = {update.number: update for update in updates}
        data = form.cleaned_data
        since_value = by_number.get(data["since"]) if data["since"] else data["from_date"]
        until_value = by_number.get(data["until"]) if data["until"] else data["to_date"]
    elif not params and updates:
        # Default: what the latest update achieved since the one a year or so before it.
        until_value = updates[0]
        year_before = [
            update for update in updates if update.date <= until_value.date.replace(
                year=until_value.date.year - 1)
        ]  # fmt: skip
        since_value = year_before[0] if year_before else None

    def label(value: Any, default: str) -> str:
        if isinstance(value, PlanUpdate):
            return str(value)
        if isinstance(value, datetime.date):
            return format_date(value)
        return default

    progress = (
        plan_progress(plan=plan, since=moment_of(since_value), until=moment_of(until_value))
        if form.is_valid() or not params
        else []
    )
    return {
        "plan": plan,
        "form": form,
        "progress": progress,
        "since_label": label(since_value, _("the start")),
        "until_label": label(until_value, _("now")),
        "achieved_count": sum(len(item.achieved) for item in progress),
    }


# --- the PDFs ----------------------------------------------------------------------------------


def language_of(params: QueryDict) -> str:
    """The ``language`` asked for ("cy", "en", "bilingual"; the reader's when absent);
    LookupError for anything else (a forged key)."""
    try:
        return paper_language(params.get("language", ""))
    except UnknownPaperLanguage as error:
        raise LookupError(str(error)) from error


def draft_pdf(plan: ImplementationPlan, language: str | None = None) -> bytes:

    return render_in(language, lambda: render_report_pdf(draft_comparison(plan))[0])


def compare_pdf(plan: ImplementationPlan, params: QueryDict) -> tuple[bytes, str]:
    """The PDF (in the ``language`` asked for) and its file name; LookupError when the choice
    is not two issued updates in order (the page checks the choice before queueing, so only a
    forged key gets here)."""

    _form, comparison = compare_comparison(params, plan)
    if comparison is None:
        raise LookupError("Choose two updates to compare")
    language = language_of(params)
    label = f"update-{comparison.since.number}-to-{comparison.until.number}"

    # Two issued updates never change, so their comparison is rendered once per language
    # (Welsh, English, both) and kept.
    path = compare_pdf_path(plan, comparison, label, language)
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            pdf = stored.read()
    else:
        with pages_numbered(by_caller=False):
            pdf = render_in(language, lambda: render_report_pdf(comparison)[0])
        default_storage.save(path, ContentFile(pdf))
    return pdf, f"{plan.slug}-{label}{language_suffix(language)}.pdf"


def progress_pdf(plan: ImplementationPlan, params: QueryDict) -> bytes:

    def context() -> dict[str, Any]:
        values = progress_context(params, plan)
        values.update(base_template="pdf/base.html")
        return values

    return render_pdf("plans/progress_report.html", context, language=language_of(params))


# --- background producers ------------------------------------------------------------------


def _may_read(user: Any, key: str) -> bool:
    try:
        return readable(plan_of(key), user)
    except LookupError:
        return False


def _may_prepare(user: Any, key: str) -> bool:
    try:
        plan_of(key)
    except LookupError:
        return False
    return has_role(user, Role.OFFICER)


def _produce_draft(key: str) -> ProducedFile:
    _slug, params = split_key(key)
    plan = plan_of(key)
    language = language_of(params)
    return ProducedFile(
        f"{plan.slug}-draft{language_suffix(language)}.pdf", draft_pdf(plan, language)
    )


def _produce_compare(key: str) -> ProducedFile:
    _slug, params = split_key(key)
    pdf, filename = compare_pdf(plan_of(key), params)
    return ProducedFile(filename, pdf)


def _produce_progress(key: str) -> ProducedFile:
    _slug, params = split_key(key)
    plan = plan_of(key)
    return ProducedFile(f"{plan.slug}-progress.pdf", progress_pdf(plan, params))


def _page(url_name: str) -> Any:
    def url(key: str) -> str:
        slug, params = split_key(key)
        query = params.urlencode()
        return reverse(url_name, args=[slug]) + (f"?{query}" if query else "")

    return url


def producers() -> list[FileProducer]:
    """The plan's large PDFs, made in the background (registered by plans.registrations)."""
    return [
        FileProducer(
            kind=DRAFT_PDF,
            label=gettext_lazy("Implementation plan: working draft with its changes (PDF)"),
            produce=_produce_draft,
            roles=frozenset({Role.OFFICER}),
            permitted=_may_prepare,
            back_url=_page("plans:draft_changes"),
            back_label=gettext_lazy("Back to the working draft's changes"),
        ),
        FileProducer(
            kind=COMPARE_PDF,
            label=gettext_lazy("Implementation plan: two updates compared (PDF)"),
            produce=_produce_compare,
            permitted=_may_read,
            back_url=_page("plans:update_compare"),
            back_label=gettext_lazy("Back to the comparison"),
        ),
        FileProducer(
            kind=PROGRESS_PDF,
            label=gettext_lazy("Implementation plan: progress report (PDF)"),
            produce=_produce_progress,
            permitted=_may_read,
            back_url=_page("plans:progress_report"),
            back_label=gettext_lazy("Back to the progress report"),
        ),
    ]
