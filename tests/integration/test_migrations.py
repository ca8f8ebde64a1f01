from __future__ import annotations

import asyncio

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.models import Base
from tests.support import environment


@pytest.fixture(scope="module")
def scratch_database():
    name, url = environment.create_database("pep_migrations")
    yield url
    environment.drop_database(name)


def _run(coro):
    return asyncio.get_event_loop_policy().new_event_loop().run_until_complete(coro)


async def _diff_and_tables(url: str):
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    async with engine.connect() as connection:

        def inspect_sync(sync_connection):
            context = MigrationContext.configure(
                sync_connection, opts={"compare_type": True, "compare_server_default": True}
            )
            return (
                compare_metadata(context, Base.metadata),
                set(inspect(sync_connection).get_table_names()),
            )

        result = await connection.run_sync(inspect_sync)
    await engine.dispose()
    return result


def test_models_and_migration_head_agree(scratch_database):
    environment.migrate(scratch_database)
    diff, tables = _run(_diff_and_tables(scratch_database))
    assert diff == []
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_base_and_upgrade_again_round_trips(scratch_database):
    config = environment.alembic_config(scratch_database)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    _, tables = _run(_diff_and_tables(scratch_database))
    assert tables <= {"alembic_version"}
    command.upgrade(config, "head")
    diff, _ = _run(_diff_and_tables(scratch_database))
    assert diff == []
