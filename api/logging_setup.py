"""Application logging: one line per event with the request id. A filter blanks anything
shaped like a personnummer, as a last line of defence (code should not log them at all)."""

from __future__ import annotations

import logging
import re

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


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactPersonnummer())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every outgoing request at INFO; our own log lines say what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)
