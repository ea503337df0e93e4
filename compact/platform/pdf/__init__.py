"""PDF rendering with WeasyPrint, fenced in: it may read the project's own static files and
nothing else (no remote URL, no ``file://`` outside static, no redirects).

Templates link their stylesheets with ``{% static %}``; the renderer resolves ``/static/...``
through Django's static-file finders. Any other URL, including ones smuggled into user text,
fails to load and the document renders without it.

Every PDF is also fenced in *time*: :func:`html_to_pdf` (and :func:`render_pdf`,
:func:`htmls_to_pdfs`, which use it) render in a child process stopped after the time limit
(``compact.platform.pdf.limits``): ``PDF_TIMEOUT_SECONDS`` by default (in a request),
``PDF_BACKGROUND_TIMEOUT_SECONDS`` inside a background task. These are the only ways to make a
PDF: WeasyPrint itself is called only by :func:`_write_pdf`, which refuses to run outside the
guarded child (``tests/operations/test_pdf_time_limit.py`` checks no other module calls WeasyPrint).
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Relative links in templates resolve against this base; it is never fetched as such.
PDF_BASE_URL = "file:///compact-pdf/"
# Tagged PDF for screen readers (PDF/UA-1: structure tree, /MarkInfo, /Lang from <html lang>,
# the <title> shown as the window title). Templates must set both lang and title.
PDF_VARIANT = "pdf/ua-1"


class BlockedURL(ValueError):
    """A PDF tried to fetch something other than one of the project's static files."""


def _static_roots() -> list[Path]:
    roots = [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def resolve_static_url(url: str) -> Path:
    """Map a ``/static/...`` URL to the file it names, refusing anything outside static."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
        raise BlockedURL(f"PDF may not fetch {url!r}")
    path = unquote(parts.path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(static_prefix):
        raise BlockedURL(f"PDF may only load static files, not {url!r}")
    relative = path[len(static_prefix) :]
    if not relative or ".." in Path(relative).parts:
        raise BlockedURL(f"PDF may not fetch {url!r}")
    found = finders.find(relative)
    candidate = Path(found).resolve() if found else None
    if candidate is None and settings.STATIC_ROOT:
        candidate = (Path(settings.STATIC_ROOT) / relative).resolve()
    if candidate is None or not candidate.is_file():
        raise BlockedURL(f"No static file at {url!r}")
    if not any(candidate.is_relative_to(root) for root in _static_roots()):
        raise BlockedURL(f"{url!r} resolves outside the static folders")
    return candidate


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves static files from disk and ``data:`` URIs; refuses everything else."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = resolve_static_url(url)
            except BlockedURL:
                logger.warning("PDF renderer refused to fetch %s", url[:200])
                raise
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyURLFetcher


class UnguardedPdf(RuntimeError):
    """WeasyPrint was asked to render outside the time-limited child process."""


def _write_pdf(html: str) -> bytes:
    """The one call into WeasyPrint (a tagged PDF/UA-1 with the fenced fetcher); only ever run
    inside the guarded child (or pool worker)."""
    from compact.platform.pdf import limits as pdf_limits

    if not pdf_limits.inside_guard():
        raise UnguardedPdf("PDFs are rendered through compact.pdf.html_to_pdf, under the limit")
    # Imported here: WeasyPrint loads Pango at import time, which pages without PDFs never need.
    from weasyprint import HTML

    fetcher = _fetcher_class()()
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def html_to_pdf(html: str, *, seconds: float | None = None) -> bytes:
    """Render an HTML string to PDF bytes with the fenced fetcher, under the time limit
    (raises ``compact.platform.pdf.limits.PdfTimeout``, which a request shows as "took too
    long")."""
    from compact.platform.pdf import limits as pdf_limits

    if pdf_limits.inside_guard():  # already in a time-limited child: its parent keeps time
        return _write_pdf(html)
    return pdf_limits.render_pdf_with_timeout(_write_pdf, html, seconds=seconds)


def htmls_to_pdfs(
    documents: list[str], *, workers: int, seconds: float | None = None
) -> list[bytes]:
    """Render several documents in ``workers`` parallel processes, all within one time limit."""
    from compact.platform.pdf import limits as pdf_limits

    if pdf_limits.inside_guard():
        return [_write_pdf(html) for html in documents]
    return pdf_limits.render_many_with_timeout(
        _write_pdf, documents, workers=workers, seconds=seconds
    )


def render_pdf(
    template_name: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    *,
    language: str | None = None,
) -> bytes:
    """Render a Django template to PDF; the template links its CSS with ``{% static %}``.

    ``language``: "cy", "en" or "bilingual" (Welsh then English, see
    ``compact.platform.pdf.languages``); the reader's language when None. Give ``context`` as
    a function when it holds translated words, so each language gets its own."""
    from compact.platform.pdf.languages import render_in

    def render() -> bytes:
        values = context() if callable(context) else context
        return html_to_pdf(render_to_string(template_name, {**values, "for_pdf": True}))

    if language is None:
        return render()
    return render_in(language, render)
