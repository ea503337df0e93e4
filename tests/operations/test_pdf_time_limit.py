"""Every PDF runs under the time limit, because the limit lives in the one PDF function
(``compact.pdf.html_to_pdf``): each kind of PDF made in a request answers the clear "took too
long" page when the limit is tiny; background files run under their own, longer limit; and
nothing in the code base can call WeasyPrint outside the guarded child."""

from __future__ import annotations

import ast
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from compact.platform.pdf import UnguardedPdf, _write_pdf, html_to_pdf, htmls_to_pdfs, render_pdf
from compact.platform.pdf.limits import PdfTimeout, pdf_time_limit
from tests.compact.access_cases import paper
from tests.plans.factories import edit_progress, first_row, issue, make_plan
from tests.representatives.factories import rep_world

TINY = 0.0001  # no PDF, however small, is made this fast (a fork alone takes longer)
TOO_LONG = "took longer than"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def public_plan(world: Any) -> Any:
    plan = make_plan(world, is_public=True)
    issue(plan, day=datetime.date(2008, 11, 20))
    edit_progress(first_row(plan), "Meetings held and reviewed")
    issue(plan, day=datetime.date(2009, 1, 26))
    return plan


@dataclass(frozen=True)
class Kind:
    name: str
    role: str  # who asks ("anonymous": a visitor)
    url: Callable[[Any, Any], str]


def _plan_url(name: str, query: str = "", **extra: Any) -> Callable[[Any, Any], str]:
    return lambda world, plan: (
        reverse(name, kwargs={"slug": plan.slug, **extra}) + (f"?{query}" if query else "")
    )


REQUEST_PDFS = [
    Kind("an issued update's report, first render", "anonymous",
         _plan_url("plans:update_report_pdf", number=2)),
    Kind("a visitor's comparison of two updates", "anonymous",
         _plan_url("plans:update_compare_pdf", "since=1&until=2")),
    Kind("a visitor's progress report", "anonymous", _plan_url("plans:progress_pdf")),
    Kind("a representative round's letter", "officer",
         lambda world, plan: reverse("representatives:round_letter",
                                     kwargs={"pk": rep_world(world).round.pk})),
    Kind("a signed code of conduct", "representative",
         lambda world, plan: reverse("representatives:signature_pdf",
                                     kwargs={"pk": rep_world(world).signature.pk})),
    Kind("a written Board paper", "board",
         lambda world, plan: reverse("compact:paper_view", kwargs=paper(world))),
]  # fmt: skip


def _client(world: Any, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("kind", REQUEST_PDFS, ids=lambda kind: kind.name)
def test_every_pdf_made_in_a_request_runs_under_the_limit(
    kind: Kind, world: Any, public_plan: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # no PDF kept from another test
    url = kind.url(world, public_plan)
    client = _client(world, kind.role)
    assert client.get(url).status_code == 200, "the PDF is made within the normal limit"

    from django.core.cache import caches

    caches["default"].clear()  # the issued report's PDF is cached after its first render
    settings.MEDIA_ROOT = tmp_path / "fresh"
    settings.PDF_TIMEOUT_SECONDS = TINY
    response = client.get(url)
    assert response.status_code == 503
    assert TOO_LONG in response.content.decode()
    assert response["Retry-After"]


@pytest.mark.django_db(transaction=True)
def test_background_files_run_under_their_own_longer_limit(
    world: Any, settings: Any, tmp_path: Path
) -> None:
    """A signed-in reader's comparison goes to the worker, where the request's limit does not
    apply and the background limit does (a file over it is marked failed, not hung)."""
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_QUEUE
    plan = make_plan(world, is_public=True)
    issue(plan, day=datetime.date(2008, 11, 20))
    issue(plan, day=datetime.date(2009, 1, 26))
    settings.PDF_TIMEOUT_SECONDS = TINY
    settings.PDF_BACKGROUND_TIMEOUT_SECONDS = 120
    client = _client(world, "board")
    compare = reverse("plans:update_compare_pdf", args=[plan.slug]) + "?since=1&until=2"
    made = client.post(compare)["Location"]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert "Your file is ready." in client.get(made).content.decode()

    settings.PDF_BACKGROUND_TIMEOUT_SECONDS = TINY
    stopped = client.post(reverse("plans:progress_pdf", args=[plan.slug]))["Location"]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert "could not be made" in client.get(stopped).content.decode()


def test_the_limit_is_in_the_pdf_functions_themselves(settings: Any) -> None:
    settings.PDF_TIMEOUT_SECONDS = TINY
    with pytest.raises(PdfTimeout):
        html_to_pdf("<p>Board paper</p>")
    with pytest.raises(PdfTimeout):
        render_pdf("files/bodies_pdf.html", {"bodies": [], "title": "Bodies"})
    with pytest.raises(PdfTimeout):  # the plan report's parallel sections: one limit for all
        htmls_to_pdfs(["<p>one</p>", "<p>two</p>"], workers=2)
    with pdf_time_limit(60):
        assert html_to_pdf("<p>Board paper</p>").startswith(b"%PDF-")
        assert all(
            p.startswith(b"%PDF-") for p in htmls_to_pdfs(["<p>a</p>", "<p>b</p>"], workers=2)
        )


def test_weasyprint_refuses_to_render_outside_the_guarded_child() -> None:
    with pytest.raises(UnguardedPdf):
        _write_pdf("<p>unguarded</p>")


def _project_modules() -> list[Path]:
    root = Path(django_settings.BASE_DIR)
    skip = {".venv", "tests", "node_modules", "var", "static", "scripts"}
    return [
        path
        for path in root.rglob("*.py")
        if not (set(path.relative_to(root).parts) & skip) and "migrations" not in path.parts
    ]


def test_no_module_renders_a_pdf_outside_the_guarded_path() -> None:
    """Only compact/platform/pdf/__init__.py may import WeasyPrint or call ``write_pdf``; only it
    and compact/platform/pdf/limits.py may touch the raw ``_write_pdf``."""
    offenders = []
    for path in _project_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        relative = path.relative_to(Path(django_settings.BASE_DIR)).as_posix()
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
            elif isinstance(node, ast.Attribute):
                names = [node.attr]
            elif isinstance(node, ast.Name):
                names = [node.id]
            for name in names:
                if (
                    name.split(".")[0] == "weasyprint" or name == "write_pdf"
                ) and relative != "compact/platform/pdf/__init__.py":
                    offenders.append(f"{relative}:{node.lineno} {name}")
                if name == "_write_pdf" and relative not in {
                    "compact/platform/pdf/__init__.py",
                    "compact/platform/pdf/limits.py",
                }:
                    offenders.append(f"{relative}:{node.lineno} {name}")
    assert not offenders, f"PDF rendering outside compact.platform.pdf's guarded path: {offenders}"
