"""Production configuration: secure cookies, HSTS, a CSP with no inline script, frame denial,
a referrer policy, and `check --deploy` clean."""

from __future__ import annotations

import functools
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

pytestmark = pytest.mark.security

ROOT = Path(settings.BASE_DIR)


def production_environment(**extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO", "COMPACT", "PYTEST", "DEBUG", "SECURE_", "CACHE_URL"))
    }
    environment.pop("DATABASE_URL", None)
    environment.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="example.org")
    environment.update(extra)
    return environment


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "hsts": s.SECURE_HSTS_SECONDS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "frame": s.X_FRAME_OPTIONS,
    "referrer": s.SECURE_REFERRER_POLICY,
    "script_src": [str(v) for v in s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]],
    "style_src": [str(v) for v in s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]],
    "cache": s.CACHES["default"]["BACKEND"],
    "tasks": s.TASKS["default"]["BACKEND"],
    "sessions": s.SESSION_ENGINE,
    "static": s.STORAGES["staticfiles"]["BACKEND"],
    "media": s.STORAGES["default"]["BACKEND"],
    "admins": s.ADMINS,
    "session_age": s.SESSION_COOKIE_AGE,
}))
"""


@functools.cache
def _production_settings(extra: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**production_environment(**dict(extra)), "DJANGO_SETTINGS_MODULE": "compact.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def production_settings(**extra: str) -> dict[str, Any]:
    return _production_settings(tuple(sorted(extra.items())))


def test_production_settings_are_locked_down() -> None:
    values = production_settings()
    assert values["debug"] is False
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["hsts"] >= 31536000
    assert values["ssl_redirect"] is True
    assert values["frame"] == "DENY"
    assert values["referrer"] == "same-origin"
    assert "'unsafe-inline'" not in values["script_src"]
    assert "'unsafe-inline'" not in values["style_src"]


def test_sign_ins_last_a_working_day_and_errors_reach_the_admins() -> None:
    values = production_settings()
    assert values["session_age"] == 12 * 3600 and values["admins"] == []
    values = production_settings(
        SESSION_HOURS="8", ADMINS="Ops desk <ops@council.example.org>, it@council.example.org"
    )
    assert values["session_age"] == 8 * 3600
    assert values["admins"] == [
        ["Ops desk", "ops@council.example.org"],
        ["", "it@council.example.org"],
    ]


def test_production_app_servers_keep_no_local_state() -> None:
    values = production_settings()
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["media"] == "django.core.files.storage.FileSystemStorage"


S3_STORAGE = """
import json, django
django.setup()
from django.core.files.storage import default_storage as storage
url = storage.url("generated/7/abc/board-pack.pdf")
print(json.dumps({"class": type(storage._wrapped).__name__, "bucket": storage.bucket_name,
                  "endpoint": storage.endpoint_url, "url": url}))
"""


def test_media_can_live_in_an_s3_compatible_bucket_and_cache_elsewhere() -> None:
    values = production_settings(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="compact-media", CACHE_URL="locmem://"
    )
    assert values["media"] == "storages.backends.s3.S3Storage"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    completed = subprocess.run(
        [sys.executable, "-c", S3_STORAGE],
        cwd=ROOT,
        env={
            **production_environment(
                MEDIA_STORAGE="s3",
                AWS_STORAGE_BUCKET_NAME="compact-media",
                AWS_S3_ENDPOINT_URL="https://s3.council.example.org",
                AWS_S3_REGION_NAME="eu-west-2",
                AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
                AWS_SECRET_ACCESS_KEY="example-secret",
                AWS_LOCATION="media",
            ),
            "DJANGO_SETTINGS_MODULE": "compact.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    storage = json.loads(completed.stdout.strip().splitlines()[-1])
    assert storage["class"] == "S3Storage"
    assert storage["bucket"] == "compact-media"
    # Private files: a signed, expiring URL on the council's own S3-compatible endpoint.
    assert storage["url"].startswith(
        "https://s3.council.example.org/compact-media/media/generated/7/abc/board-pack.pdf?"
    )
    assert "Signature" in storage["url"] or "X-Amz-Signature" in storage["url"]


def test_unknown_media_storage_is_refused() -> None:
    completed = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT,
        env=production_environment(MEDIA_STORAGE="ftp"), capture_output=True, text=True,
    )  # fmt: skip
    assert completed.returncode != 0
    assert "MEDIA_STORAGE must be 'local' or 's3'" in completed.stderr


def test_production_refuses_to_start_without_secret_key() -> None:
    environment = production_environment()
    environment.pop("SECRET_KEY")
    completed = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True,
        text=True,
    )  # fmt: skip
    assert completed.returncode != 0
    assert "SECRET_KEY must be set" in completed.stderr


def test_makemigrations_needs_no_secret_key() -> None:
    environment = production_environment()
    environment.pop("SECRET_KEY")
    completed = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "No changes detected" in completed.stdout


def test_check_deploy_is_clean_in_production_configuration() -> None:
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(ALLOWED_HOSTS="compact.example.org"),
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no issues" in completed.stdout


def test_check_deploy_warns_behind_a_proxy_that_is_not_counted() -> None:
    def check(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=production_environment(ALLOWED_HOSTS="compact.example.org", **extra),
            capture_output=True,
            text=True,
        )

    uncounted = check(BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="0")
    assert uncounted.returncode != 0
    assert "compact.W001" in uncounted.stderr + uncounted.stdout
    assert check(BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="1").returncode == 0


def test_responses_carry_security_headers(client: Any, world: Any) -> None:
    client.force_login(world.users["board"])
    response = client.get("/compact/bodies/", secure=True)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
