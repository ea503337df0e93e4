"""WSGI entry point, used by gunicorn: `gunicorn compact.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact.settings")

application = get_wsgi_application()


def _freeze_loaded_objects() -> None:
    """Move everything loaded at start-up (settings, apps, models, URL patterns and views) out
    of the cyclic garbage collector's reach. They live as long as the worker; otherwise every
    full collection walks them again while a report allocates its tens of thousands of small
    objects (change computation of a 2,400-row plan: about 40% of its time, see
    docs/plan-reports.md). The PDF renderer is loaded first, so its objects are frozen too.
    Under ``gunicorn --preload`` it also keeps the shared pages shared
    after the fork, as the gc module's documentation recommends."""
    from django.conf import settings
    from django.urls import get_resolver

    from compact.platform.pdf.limits import warm_up

    get_resolver().url_patterns  # noqa: B018 -- imports every app's views now
    if settings.PDF_WARM_UP_AT_START:
        warm_up()  # WeasyPrint and its fonts (~0.5 s): the first Board paper does not wait
    gc.collect()
    gc.freeze()


_freeze_loaded_objects()
