"""The embedded IdP's signing key, kept in a file so that every server worker (and every
restart) signs with the same key that the JWKS endpoint publishes."""

from __future__ import annotations

import json
import os
from pathlib import Path

from joserfc.jwk import RSAKey


def load_or_create_signing_key(path: str | Path) -> RSAKey:
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(key.as_dict(private=True)))
        tmp.chmod(0o600)
        try:
            # link() fails if another worker won the race; then everyone reads the winner's key.
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return RSAKey.import_key(json.loads(path.read_text()))
