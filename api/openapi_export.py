"""Writes openapi/openapi.json (committed, and checked to be current by a test):
python -m api.openapi_export [--check]"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from adapters.settings import Settings

OPENAPI_PATH = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def current_document() -> str:
    from api.app import create_app

    # The document must not depend on the machine: no embedded IdP, no built SPAs, fixed URLs.
    settings = Settings(
        environment="development",
        database_url="postgresql://unused@127.0.0.1/unused",
        redis_url="redis://127.0.0.1:6379/0",
        embedded_idp=False,
        citizen_app_dist="/nonexistent",
        professional_app_dist="/nonexistent",
    )
    document: dict[str, Any] = create_app(settings).openapi()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    document = current_document()
    if "--check" in sys.argv:
        if not OPENAPI_PATH.exists() or OPENAPI_PATH.read_text() != document:
            print("openapi/openapi.json is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    OPENAPI_PATH.parent.mkdir(exist_ok=True)
    OPENAPI_PATH.write_text(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
