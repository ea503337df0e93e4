"""A time limit for PDF rendering, so one pathological document cannot hang a web worker.

WeasyPrint has no time-out of its own, and a thread cannot be stopped, so the rendering runs
in a forked child process that is terminated when the limit passes. ``compact.pdf.html_to_pdf``
does this for every PDF: callers render their template to HTML first (the database work, in
the calling process) and hand the HTML over; nothing else may call WeasyPrint.

The limit is ``settings.PDF_TIMEOUT_SECONDS`` (a request), or what the innermost
:func:`pdf_time_limit` block sets: background tasks run under
``settings.PDF_BACKGROUND_TIMEOUT_SECONDS``.

A view that lets :class:`PdfTimeout` escape gets a clear "this PDF took too long" page from
``compact.platform.middleware.PdfTimeoutMiddleware``.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import logging
import multiprocessing
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PdfTimeout(Exception):
    """Rendering a PDF took longer than the allowed time and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"PDF rendering took longer than {seconds:g} seconds and was stopped.")

    @property
    def user_message(self) -> str:
        return str(
            _(
                "This PDF took longer than %(seconds)s seconds to make, so we stopped. "
                "Please try again later; if it keeps happening, tell a Compact officer."
            )
            % {"seconds": f"{self.seconds:g}"}
        )


class PdfRenderError(Exception):
    """Rendering failed inside the child process; carries the child's traceback text."""


_warmed_up = False
# True only in a process whose rendering is timed by its parent (the child, a pool worker).
_guarded = False
_limit: contextvars.ContextVar[float | None] = contextvars.ContextVar("pdf_limit", default=None)


def inside_guard() -> bool:
    """Whether this process renders under a parent's time limit (see compact.platform.pdf)."""
    return _guarded


def current_limit() -> float:
    """The time limit in force here: the innermost :func:`pdf_time_limit`, else the request's."""
    override = _limit.get()
    return float(override if override is not None else settings.PDF_TIMEOUT_SECONDS)


@contextlib.contextmanager
def pdf_time_limit(seconds: float) -> Iterator[None]:
    """Render the PDFs made inside this block under ``seconds`` (background tasks)."""
    token = _limit.set(float(seconds))
    try:
        yield
    finally:
        _limit.reset(token)


def warm_up() -> None:
    """Load WeasyPrint and its fonts once in this process, so each forked child inherits them
    instead of paying a second or more to load them again. Served workers call it at start
    (compact/wsgi.py), so that no reader's first PDF pays it."""
    global _warmed_up, _guarded
    if not _warmed_up:
        from compact.platform.pdf import _write_pdf

        # A fixed one-line document: the only rendering allowed outside the child.
        _guarded = True
        try:
            _write_pdf('<html lang="en"><title>Warm-up</title><p>warm-up</p></html>')
        finally:
            _guarded = False
        _warmed_up = True


class _Collect(logging.Handler):
    """Keeps the child's log records to hand back to the parent (caplog, the parent's
    handlers), instead of writing them from the child."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info, record.exc_text = None, None
        self.records.append(record)


def _become_guarded() -> _Collect:
    global _guarded
    _guarded = True
    # Everything inherited from the parent (Django, WeasyPrint, fonts) out of the cyclic
    # collector's reach: a layout allocates hundreds of thousands of small objects, and every
    # full collection would walk the whole inherited heap again (about 10% of a section's
    # time; docs/plan-reports.md).
    gc.freeze()
    # The parent's handlers (gunicorn's, the task worker's graceful shutdown) must not keep a
    # child alive that is being stopped for taking too long.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    collector = _Collect()
    logging.root.handlers = [collector]
    return collector


def _replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def _child(connection: Any, fn: Callable[..., bytes], args: tuple[Any, ...]) -> None:
    collector = _become_guarded()
    try:
        result = fn(*args)
        connection.send(("ok", bytes(result), collector.records))
    except BaseException as exc:  # everything is reported back to the parent
        text = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        connection.send(("error", text, collector.records))
    finally:
        connection.close()


def render_pdf_with_timeout(
    fn: Callable[..., bytes], *args: Any, seconds: float | None = None
) -> bytes:
    """Run ``fn(*args)`` (returning PDF bytes) in a child process; raise :class:`PdfTimeout`
    if it has not finished within ``seconds`` (default :func:`current_limit`).

    ``fn`` must not use the database: the child shares the parent's open connections.
    """
    limit = float(seconds if seconds is not None else current_limit())
    warm_up()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args), daemon=True)
    process.start()
    sender.close()
    status = "timeout"
    try:
        if not receiver.poll(limit):
            raise PdfTimeout(limit)
        try:
            status, payload, records = receiver.recv()
            _replay(records)
        except EOFError as exc:
            raise PdfRenderError(f"PDF renderer exited with code {process.exitcode}") from exc
    finally:
        receiver.close()
        process.join(0 if status == "timeout" else 2)
        if process.is_alive():
            # SIGKILL, not SIGTERM: a child stopped just after the fork may not yet have reset
            # the handlers it inherited (a task worker's graceful shutdown would run the
            # parent's code in the child), and a renderer has nothing to clean up.
            process.kill()
        process.join()
    if status != "ok":
        raise PdfRenderError(payload)
    return payload


_pool_collector: _Collect | None = None


def _pool_init() -> None:
    global _pool_collector
    _pool_collector = _become_guarded()


def _pool_render(job: tuple[Callable[[Any], Any], Any]) -> tuple[Any, list[logging.LogRecord]]:
    fn, document = job
    assert _pool_collector is not None
    _pool_collector.records = []
    result = fn(document)
    return result, _pool_collector.records


class PendingRenders:
    """Renderings started in a pool of forked workers (:func:`start_many_with_timeout`): the
    caller does other work meanwhile, then takes the results with :meth:`get`, or stops them
    with :meth:`cancel` (always call one of them: a ``finally`` may call ``cancel`` after
    ``get``)."""

    def __init__(self, pool: Any, pending: Any, limit: float) -> None:
        self._pool, self._pending, self._limit = pool, pending, limit
        self._deadline = time.monotonic() + limit

    def get(self) -> list[Any]:
        try:
            try:
                results = self._pending.get(timeout=max(0.0, self._deadline - time.monotonic()))
            except multiprocessing.TimeoutError as exc:
                raise PdfTimeout(self._limit) from exc
            except Exception as exc:
                raise PdfRenderError(f"{type(exc).__name__}: {exc}") from exc
            self._pool.close()
        finally:
            self.cancel()
        for _pdf, records in results:
            _replay(records)
        return [pdf for pdf, _records in results]

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def start_many_with_timeout(
    fn: Callable[[Any], Any], documents: list[Any], *, workers: int, seconds: float | None = None
) -> PendingRenders:
    """Start ``[fn(d) for d in documents]`` (each a PDF, or a list of them for a batch) in
    ``workers`` forked processes, to be finished within ``seconds`` (default
    :func:`current_limit`) of now. The fork happens here, in the calling thread."""
    limit = float(seconds if seconds is not None else current_limit())
    warm_up()
    context = multiprocessing.get_context("fork")
    pool = context.Pool(processes=max(1, workers), initializer=_pool_init)
    try:
        pending = pool.map_async(_pool_render, [(fn, document) for document in documents])
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    return PendingRenders(pool, pending, limit)


def render_many_with_timeout(
    fn: Callable[[Any], Any], documents: list[Any], *, workers: int, seconds: float | None = None
) -> list[Any]:
    """``[fn(d) for d in documents]`` (each a PDF, or a list of them for a batch) in
    ``workers`` forked processes, all finished within ``seconds`` (default
    :func:`current_limit`) or every worker is stopped and :class:`PdfTimeout` raised."""
    return start_many_with_timeout(fn, documents, workers=workers, seconds=seconds).get()
