"""In production static files come from the hashed manifest: a template that names a static
file missing from the repository would fail every page with a 500, so render the pages with
the production storage after a real collectstatic."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.urls import reverse

# Django's manifest storage resolves names as WhiteNoise's does, without the slow compression.
MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def test_pages_render_with_the_production_static_manifest(
    client_for: Any, settings: Any, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }
    call_command("collectstatic", "--noinput", verbosity=0, stdout=StringIO())
    assert (tmp_path / "static" / "staticfiles.json").exists()
    for role, url in [
        ("anonymous", reverse("login")),
        ("board", reverse("home")),
        ("officer", reverse("compact:body_list")),
    ]:
        response = client_for(role).get(url)
        assert response.status_code == 200, url
        assert ".css" in response.content.decode()
