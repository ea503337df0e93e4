"""Logging filters (wired in ``settings.LOGGING``)."""

from __future__ import annotations

import logging


def _one_line(text: str) -> str:
    # The path is the visitor's to choose: no forged extra lines in the log.
    return text.replace("\r", "\\r").replace("\n", "\\n")


class ConcisePermissionDenied(logging.Filter):
    """A refused request (403) is routine, not a fault: one line with who, what and why,
    instead of Django's "Forbidden (Permission denied)" with the whole traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403 or not record.exc_info:
            return True
        exception = record.exc_info[1]
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = f"user {user.pk}" if getattr(user, "is_authenticated", False) else "anonymous"
        record.msg = "Forbidden (403): %s %s by %s: %s"
        record.args = (
            getattr(request, "method", "-"),
            _one_line(getattr(request, "path", "-")),
            who,
            _one_line(str(exception) or type(exception).__name__),
        )
        record.exc_info = None
        record.exc_text = None
        return True
