from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.support.factories import StaffClient, log_in_staff


@pytest.fixture
async def regional_admin(new_client: Callable[[], httpx.AsyncClient]) -> StaffClient:
    """The regional administrator of Stockholm in a browser of its own, to make the
    configuration a test needs (tests/support/factories.py)."""
    return await log_in_staff(
        new_client(), key="regional-admin-stockholm", unit="SE2321000016-A001"
    )
