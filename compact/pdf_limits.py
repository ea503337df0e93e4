"""A time limit for PDF rendering, so one pathological document cannot hang a web worker.

WeasyPrint has no time-out of its own, and a thread cannot be stopped, so the rendering runs
in a forked child process that is terminated when the limit passes. Do the database work
first (render the template to HTML in the calling process), then hand the pure rendering to
the child::

    html = render_to_string("plans/update_report.html", {**context, "for_pdf": True})
    pdf = render_pdf_with_timeout(html_to_pdf, html, seconds=settings.PDF_TIMEOUT_SECONDS)

A view that lets :class:`PdfTimeout` escape gets a clear "this PDF took too long" page from
``compact.middleware.PdfTimeoutMiddleware``.
"""

from __future__ import annotations

import multiprocessing
import signal
import traceback
from collections.abc import Callable
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


def _warm_up() -> None:
    """Load WeasyPrint and its fonts once in this process, so each forked child inherits them
    instead of paying a second or more to load them again."""
    global _warmed_up
    if not _warmed_up:
        from compact.pdf import html_to_pdf

        html_to_pdf("<p>warm-up</p>")
        _warmed_up = True


def _child(connection: Any, fn: Callable[..., bytes], args: tuple[Any, ...]) -> None:
    # The parent's handlers (gunicorn's, the task worker's graceful shutdown) must not keep a
    # child alive that is being stopped for taking too long.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        result = fn(*args)
        connection.send(("ok", bytes(result)))
    except BaseException as exc:  # everything is reported back to the parent
        connection.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        connection.close()


def render_pdf_with_timeout(
    fn: Callable[..., bytes], *args: Any, seconds: float | None = None
) -> bytes:
    """Run ``fn(*args)`` (returning PDF bytes) in a child process; raise :class:`PdfTimeout`
    if it has not finished within ``seconds`` (default ``settings.PDF_TIMEOUT_SECONDS``).

    ``fn`` must not use the database: the child shares the parent's open connections.
    """
    limit = float(seconds if seconds is not None else settings.PDF_TIMEOUT_SECONDS)
    _warm_up()
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
            status, payload = receiver.recv()
        except EOFError as exc:
            raise PdfRenderError(f"PDF renderer exited with code {process.exitcode}") from exc
    finally:
        receiver.close()
        process.join(0 if status == "timeout" else 2)
        if process.is_alive():
            process.terminate()
            process.join(2)
            if process.is_alive():
                process.kill()
        process.join()
    if status != "ok":
        raise PdfRenderError(payload)
    return payload
