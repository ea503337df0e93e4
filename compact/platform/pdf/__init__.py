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

import itertools
import logging
import math
import mimetypes
import re
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


def _weasyprint_html(html: str) -> Any:
    from compact.platform.pdf import limits as pdf_limits

    if not pdf_limits.inside_guard():
        raise UnguardedPdf("PDFs are rendered through compact.pdf.html_to_pdf, under the limit")
    # Imported here: WeasyPrint loads Pango at import time, which pages without PDFs never need.
    from weasyprint import HTML

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher_class()())


def _write_pdf(html: str) -> bytes:
    """The one call into WeasyPrint (a tagged PDF/UA-1 with the fenced fetcher); only ever run
    inside the guarded child (or pool worker)."""
    return _weasyprint_html(html).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


# Documents rendered together (laid out as one, written apart): a part starts a page there,
# found again by this anchor. More parts per batch share more of WeasyPrint's per-document
# work; fewer keep a child's memory bounded and the workers evenly loaded.
PART_ANCHOR = "compact-part-"
MAX_PARTS_PER_BATCH = 24
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
_PART_START = ('<div id="{anchor}"></div>', '<div id="{anchor}" style="break-before: page"></div>')


def _frame(html: str) -> tuple[str, str, str] | None:
    """(everything up to and with ``<body>``, the body, everything from ``</body>``)."""
    opened, closed = _BODY_OPEN.search(html), None
    if opened is not None:
        for closed in _BODY_CLOSE.finditer(html, opened.end()):  # noqa: B007 -- the last one
            pass
    if opened is None or closed is None:
        return None
    return html[: opened.end()], html[opened.end() : closed.start()], html[closed.start() :]


def _write_pdf_parts(documents: list[str]) -> list[bytes]:
    """The PDFs of documents that share their frame (head, ``<body>`` tag and tail), each as
    :func:`_write_pdf` would make it (but for CSS page counters, which count through the
    batch), for about two thirds of the time: WeasyPrint parses the
    stylesheets, builds the cascade and sets up fonts once for the batch; each part (starting
    its own page, as it does on its own) is then written from its pages. Should the parts not
    be found again page by page, each document is rendered on its own."""
    frames = [_frame(html) for html in documents]
    first = frames[0]
    if (
        len(documents) == 1
        or first is None
        or any(frame is None or frame[0] != first[0] or frame[2] != first[2] for frame in frames)
    ):
        return [_write_pdf(html) for html in documents]
    # A part after the first starts a page, as each document does on its own.
    body = "".join(
        _PART_START[bool(index)].format(anchor=f"{PART_ANCHOR}{index}") + frame[1]
        for index, frame in enumerate(frames)  # type: ignore[misc]
    )
    document = _weasyprint_html(first[0] + body + first[2]).render(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )
    starts: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith(PART_ANCHOR):
                starts.setdefault(int(anchor[len(PART_ANCHOR) :]), number)
    firsts = [starts.get(index) for index in range(len(documents))]
    if firsts[0] != 0 or any(
        page is None or following is None or following <= page
        for page, following in itertools.pairwise(firsts)
    ):
        logger.warning("PDF parts could not be told apart in the batch: rendering each alone")
        return [_write_pdf(html) for html in documents]
    for page in document.pages:
        _drop_part_markers(page)
    ends = [*firsts[1:], len(document.pages)]
    return [
        document.copy(document.pages[start:end]).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
        for start, end in zip(firsts, ends, strict=True)  # type: ignore[arg-type]
    ]


def _drop_part_markers(page: Any) -> None:
    """Take the empty part markers out of a laid-out page (they are children of the body,
    two levels down): left in, each part would gain a structure element and a named
    destination that its document on its own does not have."""
    for anchor in [name for name in page.anchors if name.startswith(PART_ANCHOR)]:
        del page.anchors[anchor]
    for html_box in getattr(page._page_box, "children", []):
        for body_box in getattr(html_box, "children", []):
            children = getattr(body_box, "children", None)
            if children:
                body_box.children = [box for box in children if not _is_part_marker(box)]


def _is_part_marker(box: Any) -> bool:
    element = getattr(box, "element", None)
    return element is not None and str(element.get("id", "")).startswith(PART_ANCHOR)


def batches(documents: list[str], workers: int) -> list[list[int]]:
    """Indexes of ``documents`` in runs to render together: consecutive documents with the
    same frame, cut so that every worker gets some and no batch exceeds
    :data:`MAX_PARTS_PER_BATCH`."""
    size = max(1, min(MAX_PARTS_PER_BATCH, math.ceil(len(documents) / max(1, workers))))
    runs: list[list[int]] = []
    previous: tuple[str, str] | None = None
    for index, html in enumerate(documents):
        frame = _frame(html)
        outside = (frame[0], frame[2]) if frame else None
        if runs and outside is not None and outside == previous and len(runs[-1]) < size:
            runs[-1].append(index)
        else:
            runs.append([index])
        previous = outside
    return runs


def html_to_pdf(html: str, *, seconds: float | None = None) -> bytes:
    """Render an HTML string to PDF bytes with the fenced fetcher, under the time limit
    (raises ``compact.platform.pdf.limits.PdfTimeout``, which a request shows as "took too
    long")."""
    from compact.platform.pdf import limits as pdf_limits

    if pdf_limits.inside_guard():  # already in a time-limited child: its parent keeps time
        return _write_pdf(html)
    return pdf_limits.render_pdf_with_timeout(_write_pdf, html, seconds=seconds)


class PendingPdfs:
    """PDFs being rendered (:func:`start_htmls_to_pdfs`); :meth:`get` waits for them in order,
    :meth:`cancel` stops them."""

    def __init__(self, pending: Any, made: list[list[bytes]] | None = None) -> None:
        self._pending, self._made = pending, made

    def get(self) -> list[bytes]:
        made = self._made if self._made is not None else self._pending.get()
        return [pdf for group in made for pdf in group]

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()


def start_htmls_to_pdfs(
    documents: list[str], *, workers: int, seconds: float | None = None, together: bool = False
) -> PendingPdfs:
    """:func:`htmls_to_pdfs` started in the background: the caller works on meanwhile and
    takes the PDFs with ``.get()`` (or stops them with ``.cancel()``)."""
    from compact.platform.pdf import limits as pdf_limits

    runs = batches(documents, workers) if together else [[index] for index in range(len(documents))]
    groups = [[documents[index] for index in run] for run in runs]
    if pdf_limits.inside_guard():  # already timed by the parent: rendered here and now
        return PendingPdfs(None, [_write_pdf_parts(group) for group in groups])
    return PendingPdfs(
        pdf_limits.start_many_with_timeout(
            _write_pdf_parts, groups, workers=workers, seconds=seconds
        )
    )


def htmls_to_pdfs(
    documents: list[str], *, workers: int, seconds: float | None = None, together: bool = False
) -> list[bytes]:
    """Render several documents in ``workers`` parallel processes, all within one time limit.

    ``together``: documents with the same frame are rendered in batches
    (:func:`_write_pdf_parts`). Only for documents that do not number their own pages: CSS
    page counters would count through the batch (the report sections are numbered by
    stamping after the join)."""
    return start_htmls_to_pdfs(documents, workers=workers, seconds=seconds, together=together).get()


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
