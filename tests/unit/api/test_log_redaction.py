import logging

from api.logging_setup import RedactPersonnummer


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("t", logging.INFO, __file__, 1, message, args, None)


def test_personnummer_shaped_numbers_are_blanked_in_log_lines():
    for shape in ("199001019876", "19900101-9876", "900101-9876", "9001019876"):
        record = _record("looked up %s today", shape)
        RedactPersonnummer().filter(record)
        assert shape not in record.getMessage()
        assert "[personnummer]" in record.getMessage()


def test_other_numbers_are_left_alone():
    record = _record("pruned %d rows in %d ms", 12345, 87)
    RedactPersonnummer().filter(record)
    assert record.getMessage() == "pruned 12345 rows in 87 ms"
