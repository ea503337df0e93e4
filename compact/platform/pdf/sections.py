"""Kept PDF sections: a document rendered in parts re-renders only the parts whose HTML changed.

A large report is rendered as independent sections (one per objective, plans/report_pdf.py) that
are joined into one tagged PDF and then stamped with the page furniture ("Page X of Y", the
running header), which depends on the whole document. Each part is kept in a folder of this
machine (``PDF_SECTION_CACHE_DIR``) under a key of its exact HTML, the active language, the
bytes of the stylesheets it links, the installed fonts and the renderer's version: the PDF of
the next update, or of the working draft, takes every unchanged section from there. The stamps
are kept the same way (the numbers depend only on the page sizes and count, the header only
on its text), so a report whose page count did not move renders only its changed sections.

A kept section is ``MAGIC``, the SHA-256 of the PDF, then the PDF; a truncated or altered file
fails that check, is deleted and rendered again. Should a kept part still fail to merge, the
whole document is rendered afresh. A folder that cannot be written costs the keeping, never the
PDF: every failure is a logged warning. Entries are evicted by age and by the folder's total
size (``PDF_SECTION_CACHE_MAX_AGE_DAYS``, ``PDF_SECTION_CACHE_MAX_MB``), least recently used
first (a hit touches the file).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from compact.platform.pdf import BlockedURL, PendingPdfs, resolve_static_url, start_htmls_to_pdfs
from compact.platform.pdf.limits import PdfRenderError, PdfTimeout

logger = logging.getLogger(__name__)

MAGIC = b"compact-pdf-section 1\n"
SUFFIX = ".pdfsection"
TEMPORARY_PREFIX = ".tmp-"
_DIGEST_BYTES = 32
_STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*\bhref=\"([^\"]+)\"", re.I)


@cache
def renderer_fingerprint() -> str:
    """What a rendering depends on beyond its HTML and stylesheets: the renderer's versions and
    the installed fonts (WeasyPrint finds them through fontconfig). Once per process."""
    # Read from the installed packages' metadata: only compact.platform.pdf imports WeasyPrint.
    renderer = "|".join(version(name) for name in ("weasyprint", "pydyf", "tinycss2", "fonttools"))
    digest = hashlib.sha256(MAGIC + renderer.encode())
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            fonts = subprocess.run(
                [fc_list, "--format", "%{file}|%{fontversion}|%{style}\n"],
                capture_output=True, timeout=30, check=False,
            ).stdout  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            fonts = b"?"
        digest.update(b"".join(sorted(fonts.splitlines())))
    return digest.hexdigest()


def _stylesheets_digest(html: str) -> str:
    """The bytes of every stylesheet the document links (a CSS change re-renders)."""
    digest = hashlib.sha256()
    for url in _STYLESHEET.findall(html):
        digest.update(url.encode())
        path = _static_path(url)
        if path is None:
            continue  # the fetcher refuses it too: it cannot shape the rendering
        stat = path.stat()
        digest.update(_file_digest(str(path), stat.st_mtime_ns, stat.st_size).encode())
    return digest.hexdigest()


@cache
def _static_path(url: str) -> Path | None:
    try:
        return resolve_static_url(
            url if url.startswith("file:") else "file://" + url.replace("&amp;", "&")
        )
    except BlockedURL:
        return None


@cache
def _file_digest(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def section_key(html: str) -> str:
    """The key a rendering of ``html`` is kept under, in the active language."""
    digest = hashlib.sha256(renderer_fingerprint().encode())
    digest.update((get_language() or "").encode() + b"\0")
    digest.update(_stylesheets_digest(html).encode() + b"\0")
    digest.update(html.encode())
    return digest.hexdigest()


@dataclass
class SectionStats:
    rendered: int = 0  # documents rendered now
    reused: int = 0  # documents taken from the kept sections
    corrupt: int = 0  # kept files that failed their check (rendered again)
    unwritable: bool = False  # the folder refused a write (nothing kept this time)
    stamps_reused: int = 0  # page-number and header stamps taken from the kept ones


class SectionCache:
    """The folder of kept renderings (see the module docstring)."""

    def __init__(self, directory: Path, *, max_bytes: int, max_age_seconds: float) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / (key + SUFFIX)

    def read(self, key: str, stats: SectionStats) -> bytes | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            logger.warning("Kept PDF section %s could not be read (%s): rendering it", key, error)
            return None
        head = len(MAGIC)
        pdf = data[head + _DIGEST_BYTES :]
        if (
            not data.startswith(MAGIC)
            or data[head : head + _DIGEST_BYTES] != hashlib.sha256(pdf).digest()
            or not pdf.startswith(b"%PDF-")
        ):
            stats.corrupt += 1
            logger.warning("Kept PDF section %s is corrupt: deleting it and rendering it", key)
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return pdf

    def write(self, key: str, pdf: bytes, stats: SectionStats) -> None:
        if stats.unwritable:
            return
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed: a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(MAGIC + hashlib.sha256(pdf).digest() + pdf)
                os.replace(temporary, path)
            except OSError:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            stats.unwritable = True
            logger.warning(
                "PDF sections cannot be kept in %s (%s): rendering without keeping them",
                self.directory, error,
            )  # fmt: skip

    def entries(self) -> list[tuple[float, int, Path]]:
        """(last used, size, path) of every kept file."""
        found = []
        for path in self.directory.glob("*/*" + SUFFIX):
            try:
                stat = path.stat()
            except FileNotFoundError:  # evicted by another process meanwhile
                continue
            found.append((stat.st_mtime, stat.st_size, path))
        return found

    def evict(self, *, now: float | None = None) -> int:
        """Delete entries older than the age limit, then the least recently used until the
        folder is within its size limit; returns how many were deleted."""
        now = time.time() if now is None else now
        # Files left half-written by a process that was stopped (never renamed into place).
        for stray in self.directory.glob(f"*/{TEMPORARY_PREFIX}*"):
            with contextlib.suppress(OSError):
                if now - stray.stat().st_mtime > 3600:
                    stray.unlink()
        entries = sorted(self.entries())
        total = sum(size for _used, size, _path in entries)
        deleted = 0
        for used, size, path in entries:
            if now - used <= self.max_age_seconds and total <= self.max_bytes:
                break  # sorted oldest first: the rest are younger and fit
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                logger.warning("Kept PDF section %s could not be evicted (%s)", path, error)
                continue
            total -= size
            deleted += 1
        return deleted


def section_cache() -> SectionCache | None:
    """The configured folder, or None when keeping is turned off (an empty setting)."""
    directory = getattr(settings, "PDF_SECTION_CACHE_DIR", "")
    if not directory:
        return None
    return SectionCache(
        Path(directory),
        max_bytes=int(float(settings.PDF_SECTION_CACHE_MAX_MB) * 1024 * 1024),
        max_age_seconds=float(settings.PDF_SECTION_CACHE_MAX_AGE_DAYS) * 86400,
    )


class KeptRender:
    """Documents being made (:func:`start_kept`): the kept ones read, the others rendering in
    the background. :meth:`finish` waits, keeps what was rendered and returns every PDF in
    order; :meth:`cancel` stops the rendering (a no-op once finished)."""

    def __init__(
        self,
        store: SectionCache | None,
        keys: list[str],
        parts: list[bytes | None],
        stats: SectionStats,
        pending: PendingPdfs | None,
    ) -> None:
        self.store, self.keys, self.parts, self.stats = store, keys, parts, stats
        self.pending = pending

    def finish(self) -> list[bytes]:
        missing = [index for index, part in enumerate(self.parts) if part is None]
        if self.pending is not None:
            rendered, self.pending = self.pending.get(), None
            for index, pdf in zip(missing, rendered, strict=True):
                self.parts[index] = pdf
                if self.store:
                    self.store.write(self.keys[index], pdf, self.stats)
            if self.store and not self.stats.unwritable:
                _evict_now_and_then(self.store)
        self.stats.rendered += len(missing)
        self.stats.reused += len(self.parts) - len(missing)
        return [part for part in self.parts if part is not None]

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None


def start_kept(
    documents: list[str],
    *,
    workers: int,
    stats: SectionStats,
    use_kept: bool = True,
    together: bool = False,
) -> KeptRender:
    """Start making every document as a PDF: unchanged ones from the kept sections, the others
    rendered (in ``workers`` processes, in batches when ``together``: see ``htmls_to_pdfs``)
    and kept when finished. ``use_kept=False`` renders all of them afresh."""
    store = section_cache()
    keys = [section_key(html) for html in documents] if store else []
    parts: list[bytes | None] = [None] * len(documents)
    if store and use_kept:
        for index, key in enumerate(keys):
            parts[index] = store.read(key, stats)
    missing = [index for index, part in enumerate(parts) if part is None]
    pending = None
    if missing:
        pending = start_htmls_to_pdfs(
            [documents[index] for index in missing],
            workers=max(1, min(workers, len(missing))),
            together=together,
        )
    return KeptRender(store, keys, parts, stats, pending)


def render_kept(
    documents: list[str],
    *,
    workers: int,
    stats: SectionStats,
    use_kept: bool = True,
    together: bool = False,
) -> list[bytes]:
    """Every document as a PDF (:func:`start_kept`, waited for)."""
    return start_kept(
        documents, workers=workers, stats=stats, use_kept=use_kept, together=together
    ).finish()


EVICTION_INTERVAL_SECONDS = 60.0
_last_eviction: dict[Path, float] = {}


def _evict_now_and_then(store: SectionCache) -> None:
    """Evict after storing, at most once a minute per process and folder (the scan reads
    every entry's size and age)."""
    now = time.monotonic()
    if now - _last_eviction.get(store.directory, -EVICTION_INTERVAL_SECONDS) < (
        EVICTION_INTERVAL_SECONDS
    ):
        return
    _last_eviction[store.directory] = now
    store.evict()


_RUNNING_HEADER = re.compile(r'<div class="running-header">(.*?)</div>', re.S)
_TITLE = re.compile(r"<title>.*?</title>", re.S)
NEUTRAL_TITLE = "<title>section</title>"


@dataclass(frozen=True)
class SectionedPdf:
    pdf: bytes
    pages: int
    stats: SectionStats


def without_running_header(head: str) -> tuple[str, str]:
    """pdf/base.html's running header taken out of a document's head: (head, header HTML).
    The header names the update, so left in it would make every section differ from the last
    update's; it is stamped on the joined document instead."""
    found = _RUNNING_HEADER.search(head)
    if found is None:
        return head, ""
    return head[: found.start()] + head[found.end() :], found.group(1).strip()


def sectioned_pdf(
    documents: list[str],
    *,
    workers: int,
    header_html: str = "",
    header_box_mm: tuple[float, float] = (18, 12),
    numbered: bool = True,
) -> SectionedPdf:
    """One tagged PDF from documents rendered apart (or kept), joined in order, with "Page X of
    Y" (unless not ``numbered``: a part whose caller numbers the pages, e.g. one language of a
    bilingual report) and ``header_html`` (top margin height and side margins:
    ``header_box_mm``) stamped on every page. The first document gives the metadata (title,
    language); the others get a neutral title so that their keys do not depend on it."""
    documents = documents[:1] + [_TITLE.sub(NEUTRAL_TITLE, html, 1) for html in documents[1:]]
    stats = SectionStats()
    # The sections do not number their pages (the join is stamped): batches are safe.
    parts = render_kept(documents, workers=workers, stats=stats, together=True)
    try:
        return _joined(
            parts, stats, header_html, header_box_mm,
            use_kept=True, numbered=numbered, workers=workers,
        )  # fmt: skip
    except (PdfTimeout, PdfRenderError):
        raise  # the renderer's own failures: a second attempt would not do better
    except Exception as error:  # pikepdf raises several kinds on a damaged part
        if not (stats.reused or stats.stamps_reused):
            raise
        logger.warning(
            "A kept PDF section could not be joined (%s: %s): rendering the whole document afresh",
            type(error).__name__, error,
        )  # fmt: skip
        fresh = SectionStats(corrupt=stats.corrupt + 1)
        parts = render_kept(documents, workers=workers, stats=fresh, use_kept=False, together=True)
        return _joined(
            parts, fresh, header_html, header_box_mm,
            use_kept=False, numbered=numbered, workers=workers,
        )  # fmt: skip


def _joined(
    parts: list[bytes],
    stats: SectionStats,
    header_html: str,
    header_box_mm: tuple[float, float],
    *,
    use_kept: bool,
    numbered: bool = True,
    workers: int = 1,
) -> SectionedPdf:
    import io

    import pikepdf

    from compact.platform.pdf.merge import (
        joined_overlay,
        merge_tagged,
        number_chunks,
        opened,
        overlay_as_artifacts,
        page_number_overlay_html,
        page_sizes,
        running_header_overlay_html,
        saved,
    )

    # The stamps need only the page sizes: they render while the parts are joined (each part
    # opened once, for both).
    documents = [opened(part) for part in parts]
    sizes = [size for document in documents for size in page_sizes(document)]
    chunks = number_chunks(len(sizes), workers) if numbered else []
    stamps = [page_number_overlay_html(sizes, pages=chunk) for chunk in chunks]
    if header_html:
        top, side = header_box_mm
        stamps.append(running_header_overlay_html(sizes, header_html, top_mm=top, side_mm=side))
    # The stamps are kept too: the numbers change only with the page count, the header with
    # its text. Counted apart from the sections.
    stamp_stats = SectionStats(unwritable=stats.unwritable)
    making = start_kept(stamps, workers=len(stamps), stats=stamp_stats, use_kept=use_kept)
    try:
        merged = merge_tagged(documents)
        rendered = making.finish()
    finally:
        making.cancel()
    stats.stamps_reused = stamp_stats.reused
    stats.unwritable = stamp_stats.unwritable
    if numbered:
        overlay_as_artifacts(merged, joined_overlay(rendered[: len(chunks)]), kind="Footer")
    if header_html:
        distinct = sorted(set(sizes))
        overlay_as_artifacts(
            merged,
            pikepdf.open(io.BytesIO(rendered[-1])),
            [distinct.index(size) for size in sizes],
            kind="Header",
        )
    return SectionedPdf(saved(merged), len(merged.pages), stats)
