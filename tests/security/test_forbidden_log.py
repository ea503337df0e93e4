"""A refused request is logged once, on one line, without a traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.security


def _forbidden_records(caplog: Any) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if "403" in record.getMessage() or "Forbidden" in record.getMessage()
    ]


def test_a_403_is_one_concise_line(world: Any, client_for: Any, caplog: Any) -> None:
    client = client_for("representative")
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("disputes:report") + "?x=%0Aforged")
    assert response.status_code == 403
    records = _forbidden_records(caplog)
    assert len(records) == 1
    record = records[0]
    message = record.getMessage()
    assert record.exc_info is None and not record.exc_text
    assert "Traceback" not in caplog.text
    assert "\n" not in message
    assert message.startswith("Forbidden (403): GET /disputes/report/ by user ")
    assert str(world.users["representative"].pk) in message


def test_a_403_reaches_one_console_handler_even_with_debug(
    world: Any, client_for: Any, caplog: Any, settings: Any
) -> None:
    """Django's own console handler (DEBUG) and the root's would print it twice."""
    settings.DEBUG = True
    with caplog.at_level(logging.INFO):
        client_for("board").get(reverse("representatives:round_list"))
    record = _forbidden_records(caplog)[0]
    printed = 0
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None:
        for handler in logger.handlers:
            if (
                type(handler) is logging.StreamHandler
                and record.levelno >= handler.level
                and handler.filter(record)
            ):
                printed += 1
        logger = logger.parent if logger.propagate else None
    assert printed == 1
