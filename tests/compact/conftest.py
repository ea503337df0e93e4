from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded papers and built packs go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
