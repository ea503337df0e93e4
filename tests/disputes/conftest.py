from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded evidence goes to a throw-away folder, never the real media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
