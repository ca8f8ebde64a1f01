"""Application logging: one line per event with the request id, as plain text (development)
or one JSON object per line (PEP_LOG_FORMAT=json, production: what a log collector parses
without guessing). A filter blanks anything shaped like a personnummer — in the message
and in a traceback alike — as a last line of defence (code should not log them at all),
and a database error is logged by its kind only, never its text (which carries values)."""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime
from typing import Literal, TextIO

from adapters.db.engine import database_error_summary
from adapters.request_scope import current_request_id

_PERSONNUMMER_LIKE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)")
# Whatever handlers uvicorn and arq gave their own loggers: they log through ours instead, so
# that every line has one format and passes the same filters.
_SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "arq", "arq.worker")


def redact(text: str) -> str:
    return _PERSONNUMMER_LIKE.sub("[personnummer]", text)


class RedactPersonnummer(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
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


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        # The traceback too: an exception's message may quote what it was given.
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    and the traceback as `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or current_request_id() or "-",
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_handler(
    log_format: Literal["text", "json"] = "text", stream: TextIO | None = None
) -> logging.Handler:
    handler: logging.Handler = logging.StreamHandler(stream)
    handler.addFilter(HideDatabaseErrorText())
    handler.addFilter(RedactPersonnummer())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    return handler


def configure_logging(
    level: int = logging.INFO, log_format: Literal["text", "json"] | None = None
) -> None:
    if log_format is None:
        from adapters.settings import get_settings

        log_format = get_settings().log_format
    root = logging.getLogger()
    root.handlers[:] = [make_handler(log_format)]
    root.setLevel(level)
    for name in _SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        # A logger the server silenced (uvicorn --no-access-log: no handler, no
        # propagation) stays silent.
        if server_logger.handlers:
            server_logger.handlers[:] = []
            server_logger.propagate = True
    # httpx logs every outgoing request at INFO; our own log lines say what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)
