"""The one query-count helper of the suite (beside pytest-django's ``django_assert_num_queries``
for code called directly): counting the queries of whole requests. Django clears
``connection.queries`` when a request starts, which would hide a request's queries from a plain
``CaptureQueriesContext``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.signals import request_started
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@contextmanager
def request_queries() -> Iterator[CaptureQueriesContext]:
    # The log holds at most 9,000 queries: start empty so a full log cannot hide new ones.
    reset_queries()
    request_started.disconnect(reset_queries)
    try:
        with CaptureQueriesContext(connection) as captured:
            yield captured
    finally:
        request_started.connect(reset_queries)
