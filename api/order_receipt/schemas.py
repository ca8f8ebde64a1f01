"""Ordermottagning speaks Etiketter's contract (api/labels/schemas.py); its print request has
no choice of labels (an address label is all it prints)."""

from __future__ import annotations

from api.labels.schemas import (
    EXPORT_RESPONSES,
    BatchIn,
    BatchOut,
    ExportIn,
    KitOrdersOut,
    PrintOut,
    ReceiptPrintIn,
    export_response,
)

__all__ = [
    "EXPORT_RESPONSES",
    "BatchIn",
    "BatchOut",
    "ExportIn",
    "KitOrdersOut",
    "PrintOut",
    "ReceiptPrintIn",
    "export_response",
]
