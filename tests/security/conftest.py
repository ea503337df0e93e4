"""A listener on a random loopback port that counts every request it receives: hostile text
points at it, and any count above zero means a page or PDF fetched an address it was given."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Listener:
    port: int
    requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        do_POST = do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(port=server.server_address[1], requests=seen)
    finally:
        server.shutdown()
        server.server_close()


def hostile_strings(listener: Listener) -> list[str]:
    """Text a hostile user might type into any field that reaches a page or a PDF."""
    return [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        '<a href="javascript:alert(1)">x</a>',
        f"<style>body{{background:url({listener.url}/css)}}</style>",
        f'<div style="background:url({listener.url}/css-attr)">x</div>',
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        f'<img src="{listener.url}/img">',
        f'<link rel="stylesheet" href="{listener.url}/sheet">',
        '<img src="/static/../../../../etc/passwd">',
        '<object data="file:///etc/passwd"></object>',
    ]


PASSWD = Path("/etc/passwd")
PASSWD_MARKERS = [
    line.split(":", 1)[0] + ":x:" for line in PASSWD.read_text().splitlines()[:3] if line
]
