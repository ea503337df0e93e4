"""Test helper: ask for a PDF that is made in the background and fetch the finished file."""

from __future__ import annotations

from typing import Any


def fetch_generated(client: Any, url: str, *, method: str = "post") -> bytes:
    """Ask for the file (inline task backend in tests), follow to its status page, check it
    says ready, and download it as its owner. Files are queued by a POST: a GET on the same
    address only offers the button (compact.platform.background.offer_or_start)."""
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{url} should queue the file, got {response.status_code}"
    status_url = response["Location"]
    assert "Your file is ready." in client.get(status_url).content.decode()
    download = client.get(status_url.split("?")[0] + "download/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)
