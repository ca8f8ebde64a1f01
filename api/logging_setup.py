"""Application logging: one line per event with the request id. A filter blanks anything
shaped like a personnummer, as a last line of defence (code should not log them at all)."""

from __future__ import annotations

import logging
import re
import traceback

from adapters.db.engine import database_error_summary
from adapters.request_scope import current_request_id

_PERSONNUMMER_LIKE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)")


class RedactPersonnummer(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _PERSONNUMMER_LIKE.sub("[personnummer]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        record.request_id = current_request_id() or "-"
        return True


class HideDatabaseErrorText(logging.Filter):
    """A database error's text carries the failing statement's values (PostgreSQL's DETAIL,
    asyncpg's "invalid input for query argument"): whoever logs one — our error handler, or
    the server logging the exception Starlette re-raises after the 500 — gets only its kind,
    SQLSTATE, table and constraint, and the frames (issue 11 item 3)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            summary = database_error_summary(record.exc_info[1])
            if summary is not None:
                frames = "".join(traceback.format_tb(record.exc_info[2]))
                record.msg = f"{record.getMessage()} (database error: {summary})\n{frames}"
                record.args = None
                record.exc_info = None
                record.exc_text = None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(HideDatabaseErrorText())
    handler.addFilter(RedactPersonnummer())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every outgoing request at INFO; our own log lines say what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)
