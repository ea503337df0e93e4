"""Settings for the test suite (pytest reads this module: ``pyproject.toml``): the production
settings of :mod:`compact.settings.base`, then what tests need on top. The base never asks
whether tests are running; every difference is written here."""

import os
import tempfile
from pathlib import Path

# Tests need no production secret; set before the base reads it.
os.environ.setdefault("SECRET_KEY", "django-insecure-test-only-key-never-use-in-production")

from compact.settings.base import *  # noqa: F403
from compact.settings.base import cache_from_url, env, static_storage

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Fast hashing: the suite creates hundreds of users; nothing here protects a real password.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploads and generated files go to a throw-away folder, never into var/media.
MEDIA_ROOT = Path(
    env.str("MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="compact-test-media-")
)
# Kept PDF sections: a throw-away folder too (a test of them sets its own).
PDF_SECTION_CACHE_DIR = env.str("PDF_SECTION_CACHE_DIR", default="") or tempfile.mkdtemp(
    prefix="compact-test-pdf-sections-"
)
WHITENOISE_USE_FINDERS = True
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
STORAGES = {**STORAGES, "staticfiles": static_storage(STATIC_MANIFEST)}  # noqa: F405
CACHES = {"default": cache_from_url(env.str("CACHE_URL", default="locmem://compact"))}
# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# Each task runs at once, inside the request, unless a test sets a queue.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Two-step sign-in is off unless a test turns it on (override_settings(MFA_REQUIRED=True)):
# the suite signs in with force_login.
MFA_REQUIRED = False
