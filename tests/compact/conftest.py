from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded papers and built packs go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def only_test_paper_providers() -> Any:
    """The board's tests register the providers they need (tests.compact.factories); the
    upper apps' real providers are set aside so agendas and packs are exactly as the test
    builds them. The real providers are tested in their own apps and in the browser journeys."""
    from compact import registry

    saved = dict(registry._paper_providers)
    registry._paper_providers.clear()
    yield
    registry._paper_providers.clear()
    registry._paper_providers.update(saved)
