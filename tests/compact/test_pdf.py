"""The PDF renderer reads the project's static files and nothing else."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from typing import Any

import pdfplumber
import pytest

from compact.platform.pdf import BlockedURL, html_to_pdf, resolve_static_url


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red; }")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _CountingHandler.hits
    server.shutdown()


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_pdf_fetches_no_remote_url_and_no_local_file(listener: Any) -> None:
    address, hits = listener
    hostile = f"""
      <html><head>
      <link rel="stylesheet" href="{address}/style.css">
      <link rel="attachment" href="file:///etc/passwd">
      <style>body {{ background: url({address}/bg.png); }}</style>
      </head><body>
      <p>Visible text</p>
      <img src="file:///etc/passwd"><img src="{address}/img.png">
      <img src="/static/../../../../etc/passwd">
      </body></html>
    """

    pdf = html_to_pdf(hostile)

    assert hits == []
    assert b"root:x:0:0" not in pdf and b"/EmbeddedFile" not in pdf
    assert "Visible text" in _text(pdf)


def test_pdf_uses_the_projects_static_stylesheet() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/pdf.css"></head>'
        "<body><p>Hello</p></body></html>"
    )

    text = _text(html_to_pdf(html))

    assert "Page 1 of 1" in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "http://127.0.0.1/static/css/pdf.css",
        "file://evil.example/static/css/pdf.css",
        "file:///static/",
        "file:///static/css/missing.css",
    ],
)
def test_static_resolver_refuses_anything_but_existing_static_files(url: str) -> None:
    with pytest.raises(BlockedURL):
        resolve_static_url(url)
