"""Settings. ``DJANGO_SETTINGS_MODULE=compact.settings`` (servers, ``manage.py``) is
:mod:`compact.settings.base`; the test suite asks for :mod:`compact.settings.test`, which imports
the base itself once it has set what tests need first (a package's ``__init__`` runs before any
of its modules, so it must not load the base for the tests' module too)."""

import os

if os.environ.get("DJANGO_SETTINGS_MODULE", "compact.settings") == "compact.settings":
    from compact.settings.base import *  # noqa: F403
