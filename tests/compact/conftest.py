from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded papers and built packs go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def only_test_paper_providers() -> Any:
    """compact is the ground floor: its tests register their own fake report providers
    (tests.compact.factories.ReportProvider) and must not see the upper apps' real ones (e.g.
    the plan's standing update report), which would add agenda items to every board meeting."""
    from compact.papers import PaperProvider
    from compact.platform import registry

    with registry.overridden(hidden=(PaperProvider,)):
        yield
