"""Small builders for meetings, papers and providers used by the compact tests."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from compact.models import Body, Meeting
from compact.papers import PaperOption, PaperProvider, RenderedPaper
from compact.platform import registry
from compact.platform.pdf import html_to_pdf
from compact.services.meetings import meeting_create


def tiny_pdf(text: str = "Hello", pages: int = 1) -> bytes:
    """A real PDF made by our renderer, with ``pages`` pages."""
    body = "".join(
        f'<div style="break-after: page">{text} {number}</div>' for number in range(1, pages + 1)
    )
    return html_to_pdf(f"<html><body>{body}</body></html>")


def pdf_upload(name: str = "paper.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else tiny_pdf(), "application/pdf"
    )


def make_meeting(
    body: Body,
    date: datetime.date = datetime.date(2009, 2, 10),
    start: datetime.time = datetime.time(10, 0),
    end: datetime.time = datetime.time(12, 0),
    **extra: Any,
) -> Meeting:
    return meeting_create(
        body=body,
        date=date,
        start_time=start,
        end_time=end,
        venue=extra.pop("venue", "Unit 4"),
        **extra,
    )


class ReportProvider:
    """Registers a generated-paper provider for one test and removes it afterwards."""

    def __init__(
        self,
        key: str = "tests.report",
        label: str = "Test report",
        *,
        standing: bool = False,
        pages: int = 1,
        options: list[PaperOption] | None = None,
    ) -> None:
        self.key = key
        self.version = "1"
        self.renders = 0
        self.pages = pages
        self.provider = PaperProvider(
            key=key,
            label=label,
            options=lambda: (
                options or [PaperOption("1", "Edition 1"), PaperOption("2", "Edition 2")]
            ),
            fingerprint=lambda value, as_of: hashlib.sha256(
                f"{value}-{self.version}".encode()
            ).hexdigest(),
            render=self._render,
            standing=standing,
        )

    def _render(self, value: str, as_of: Any = None) -> RenderedPaper:
        self.renders += 1
        return RenderedPaper(
            title=f"Test report {value}",
            pdf=tiny_pdf(f"Generated report {value} v{self.version}", self.pages),
        )

    def __enter__(self) -> ReportProvider:
        self._override = registry.overridden(self.provider)
        self._override.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._override.__exit__(*exc)
