"""The one way configuration is edited (SPEC §5): the item is loaded for update, must lie
within the administrator's scope, must be the version the administrator saw (If-Match),
must not be retired; then it is changed, its version goes up, the change is audited and
committed, in that order. Use cases of every administration resource call `edit`;
the web half (If-Match in, ETag out) is `api/web/etag.py`.

Framework-free: no FastAPI, no pydantic."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Protocol, TypeVar

from adapters.db.uow import UnitOfWork
from domain.actors import StaffActor
from domain.administration import ConfigurationNotFound, require_active
from domain.audit import audit_event
from domain.errors import StaleVersion, VersionRequired


class Versioned(Protocol):
    """A configuration item with a version the administrator names when changing it."""

    version: int


Item = TypeVar("Item", bound=Versioned)
Edited = TypeVar("Edited", bound=Versioned)
View = TypeVar("View")


def found(item: Item | None, what: str) -> Item:
    """The item, or "no such <what>" (also when it may not be known to exist)."""
    if item is None:
        raise ConfigurationNotFound(f"no such {what}")
    return item


def check_version(current: int, expected: int | None) -> None:
    """`expected` is the version from the administrator's If-Match (None: none was sent)."""
    if expected is None:
        raise VersionRequired()
    if expected != current:
        raise StaleVersion(f"the current version is {current}: reload and try again")


async def record_change(
    uow: UnitOfWork, *, actor: StaffActor, now: datetime, action: str, **details: object
) -> None:
    """The audit entry `admin:<action>` for a change; details are kept as text."""
    await uow.audit.record(
        audit_event(
            actor,
            f"admin:{action}",
            now=now,
            details={key: str(value) for key, value in details.items()},
        )
    )


async def edit(
    uow: UnitOfWork,
    item: Item | None,
    *,
    what: str,
    actor: StaffActor,
    now: datetime,
    action: str,
    expected_version: int | None,
    authorize: Callable[[Item], object] | None,
    change: Callable[[Item], Awaitable[Edited]],
    details: Callable[[Edited], Mapping[str, object]],
    view: Callable[[Edited], Awaitable[View]],
    check_retired: bool = True,
    new_version: bool = True,
) -> View:
    """Edits one configuration item loaded FOR UPDATE (`item`, None when there is none).

    `authorize` raises OutsideAdministrationScope unless the actor may change the item;
    `change` applies the edit (raising before it changes anything when the edit breaks a
    rule) and returns the item as edited — the item itself, or a new row where edits are
    kept as versions (offers, which then pass `new_version=False`); `details` are what the
    audit entry says; `view` is what the caller gets back, read before the commit."""
    current = found(item, what)
    if authorize is not None:
        authorize(current)
    check_version(current.version, expected_version)
    if check_retired:
        require_active(getattr(current, "retired_at", None), what)
    edited = await change(current)
    if new_version:
        edited.version += 1
    await record_change(uow, actor=actor, now=now, action=action, **details(edited))
    result = await view(edited)
    await uow.commit()
    return result
