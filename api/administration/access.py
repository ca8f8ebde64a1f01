"""Admin scope at the web edge: the dependency that lets an administrator in (like
`module_access`), and the runner that audits a refusal by scope raised inside a use case.
Every refusal is audited as `admin:<name>` of the route, in a transaction of its own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from adapters.db.uow import UnitOfWork
from api.services import Services
from api.web.deps import ServicesDep, Staff, StaffSession, record_refusal
from api.web.run import in_transaction
from domain.access import AdminScope, admin_scope
from domain.actors import StaffActor
from domain.administration import NoAdministrationPermission, OutsideAdministrationScope

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Administrator:
    """A staff member with some administrator permission, doing the route's `action`."""

    staff: Staff
    scope: AdminScope
    action: str  # "admin:<name>", as audited

    @property
    def actor(self) -> StaffActor:
        return self.staff.actor


def admin_access(name: str) -> Callable[[Staff, Services], Awaitable[Administrator]]:
    """Dependency factory: the staff member holds an administrator permission of some scope.
    Which things within it they may change is decided by the use case."""
    action = f"admin:{name}"

    async def dependency(staff: StaffSession, services: ServicesDep) -> Administrator:
        scope = admin_scope(staff.context)
        if not scope.any:
            error = NoAdministrationPermission("no administrator permission")
            await record_refusal(services, staff, action=action, error=error)
            raise error
        return Administrator(staff=staff, scope=scope, action=action)

    return dependency


async def administer(
    services: Services, admin: Administrator, work: Callable[[UnitOfWork], Awaitable[T]]
) -> T:
    """Runs an administration use case in its own unit of work. A thing outside the
    administrator's scope is refused by the use case; the refusal is audited after its
    transaction has rolled back, then answered."""
    try:
        return await in_transaction(services, work)
    except OutsideAdministrationScope as error:
        await record_refusal(services, admin.staff, action=admin.action, error=error)
        raise
