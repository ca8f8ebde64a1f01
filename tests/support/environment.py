"""Real PostgreSQL and Redis for the tests: a database of its own per test run (created,
migrated by alembic, loaded with demo data, dropped at the end) and a Redis key prefix of
its own, so that runs never see each other's data."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("PEP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PEP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def database_url_for(name: str) -> str:
    # Only the path names the database: an embedded server's URL carries its socket
    # directory in the query (?host=/tmp/…/), which must stay as it is.
    return urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))


def create_database(prefix: str = "pep_test") -> tuple[str, str]:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, database_url_for(name)


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url.replace(
        "postgresql://", "postgresql+asyncpg://", 1
    )
    return config


def migrate(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
