"""IP print: ZPL sent to a network label printer's raw port (9100) over TCP. Only printers on
the configured list (PEP_NETWORK_PRINTERS) are ever connected to, so a request cannot make the
server reach any other address (no SSRF). The browser's path, Zebra Browser Print, needs
nothing from the server but the ZPL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from adapters.settings import Settings
from domain.labels import PrinterNotAllowed, PrinterUnavailable

log = logging.getLogger(__name__)

RAW_PRINT_PORT = 9100


def parse_printer(printer: str) -> tuple[str, int]:
    """ "host:port" (or "host", meaning port 9100; "[v6]:port" for IPv6) → (host, port)."""
    text = printer.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":") or str(RAW_PRINT_PORT)
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host, port = text, str(RAW_PRINT_PORT)
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not a printer address: {printer!r}")
    return host, int(port)


async def send_to_network_printer(host: str, port: int, zpl: str, *, timeout: float) -> None:
    """Writes the ZPL (UTF-8: the labels say ^CI28) to the printer and closes the connection.
    Raises PrinterUnavailable when it cannot be reached or does not take the data in time."""
    try:
        async with asyncio.timeout(timeout):
            _reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(zpl.encode("utf-8"))
                await writer.drain()
            finally:
                writer.close()
                await writer.wait_closed()
    except (OSError, TimeoutError) as error:
        log.warning("network printer %s:%s did not take the label: %s", host, port, error)
        raise PrinterUnavailable(f"the printer {host}:{port} did not answer") from error


class NetworkPrinters:
    """The LabelPrinter port over TCP, limited to the allowed printers."""

    def __init__(self, allowed: Iterable[str], *, timeout: float = 5.0) -> None:
        self._allowed = {self._key(p): parse_printer(p) for p in allowed}
        self._timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> NetworkPrinters:
        return cls(settings.network_printers, timeout=settings.network_print_timeout_seconds)

    @staticmethod
    def _key(printer: str) -> str:
        host, port = parse_printer(printer)
        return f"{host.lower()}:{port}"

    @property
    def printers(self) -> list[str]:
        return sorted(self._allowed)

    def check(self, printer: str) -> None:
        try:
            key = self._key(printer)
        except ValueError:
            raise PrinterNotAllowed(printer) from None
        if key not in self._allowed:
            raise PrinterNotAllowed(printer)

    async def send(self, printer: str, zpl: str) -> None:
        self.check(printer)
        host, port = self._allowed[self._key(printer)]
        await send_to_network_printer(host, port, zpl, timeout=self._timeout)
