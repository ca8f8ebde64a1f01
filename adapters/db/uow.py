"""The unit of work: one transaction per use case. Nothing is committed unless the use case
calls commit(); leaving the block without it (or with an exception) rolls everything back."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar, overload

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.db.repositories import Executor, PooledConnection, TransactionConnection
from adapters.db.repositories.assignments import AssignmentRepository
from adapters.db.repositories.audit import AuditRepository
from adapters.db.repositories.care_units import CareUnitRepository
from adapters.db.repositories.contact_tracing import ContactTracingRepository
from adapters.db.repositories.dispatch import DispatchRepository
from adapters.db.repositories.fhir_view import FhirViewRepository
from adapters.db.repositories.help_texts import HelpTextRepository
from adapters.db.repositories.idempotency import IdempotencyRepository
from adapters.db.repositories.insight_texts import InsightTextRepository
from adapters.db.repositories.integration_clients import (
    IntegrationClientReader,
    IntegrationClientRepository,
)
from adapters.db.repositories.integration_deliveries import IntegrationDeliveryRepository
from adapters.db.repositories.kit_batches import KitBatchRepository
from adapters.db.repositories.kits import KitRepository
from adapters.db.repositories.label_prints import LabelPrintRepository
from adapters.db.repositories.laboratories import LaboratoryRepository
from adapters.db.repositories.notifications import NotificationRepository
from adapters.db.repositories.offers import OfferRepository
from adapters.db.repositories.offers_admin import OfferAdministrationRepository
from adapters.db.repositories.orders import OrderRepository
from adapters.db.repositories.outbox import OutboxRepository
from adapters.db.repositories.permission_grants import PermissionGrantRepository
from adapters.db.repositories.person_cache import PersonCacheRepository
from adapters.db.repositories.products import ProductRepository
from adapters.db.repositories.result_deliveries import ResultDeliveryRepository
from adapters.db.repositories.result_registration import ResultRegistrationRepository
from adapters.db.repositories.results_intake import ResultIntakeRepository
from adapters.db.repositories.sampling import SamplingRepository
from adapters.db.repositories.sampling_units import SamplingUnitRepository
from adapters.db.repositories.staff import PermissionRepository
from adapters.db.repositories.treatment_responsibility import TreatmentResponsibilityRepository
from adapters.db.repositories.worklist import WorklistRepository
from adapters.protection import DataProtector

R = TypeVar("R")
W = TypeVar("W")


class _Made(Generic[W, R]):
    """A repository made on first use and kept for the rest of the block. A use case touches
    two or three of the thirty; making them all on every entry cost tens of microseconds per
    request on the hottest paths (issue 12, part 3). A non-data descriptor: once made, the
    instance attribute answers without this being called again."""

    def __init__(self, make: Callable[[W], R]) -> None:
        self._make: Callable[[W], R] = make
        self._name = ""

    def __set_name__(self, owner: type[W], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, holder: None, owner: type[W]) -> _Made[W, R]: ...
    @overload
    def __get__(self, holder: W, owner: type[W]) -> R: ...
    def __get__(self, holder: W | None, owner: type[W]) -> R | _Made[W, R]:
        if holder is None:
            return self
        repository: R = self._make(holder)
        vars(holder)[self._name] = repository
        return repository


def _forget_repositories(holder: object) -> None:
    """Entered again (a new connection): the repositories of the last block are not reused."""
    made = vars(holder)
    for name in [n for n in made if isinstance(getattr(type(holder), n, None), _Made)]:
        del made[name]


class Reader:
    """Repositories on one autocommit connection, for reads that are a single statement each
    (no BEGIN/COMMIT round trips). Anything that writes goes through a UnitOfWork."""

    _connection: PooledConnection

    def __init__(self, engine: AsyncEngine, protector: DataProtector) -> None:
        # An engine created with autocommit (adapters.db.engine.create_engine).
        self._engine = engine
        self._protector = protector

    offers = _Made["Reader", OfferRepository](lambda r: OfferRepository(r._connection))
    orders = _Made["Reader", OrderRepository](
        lambda r: OrderRepository(r._connection, r._protector)
    )
    person_cache = _Made["Reader", PersonCacheRepository](
        lambda r: PersonCacheRepository(r._connection, r._protector)
    )
    permissions = _Made["Reader", PermissionRepository](
        lambda r: PermissionRepository(r._connection)
    )
    integration_clients = _Made["Reader", IntegrationClientReader](
        lambda r: IntegrationClientReader(r._connection)
    )
    notifications = _Made["Reader", NotificationRepository](
        lambda r: NotificationRepository(r._connection, r._protector)
    )

    async def __aenter__(self) -> Reader:
        _forget_repositories(self)
        self._connection = await PooledConnection.checkout(self._engine)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._connection.close()


def _on_connection(make: Callable[[Executor, DataProtector], R]) -> _Made[UnitOfWork, R]:
    return _Made["UnitOfWork", R](lambda u: make(u._connection, u._protector))


def _on_connection_only(make: Callable[[Executor], R]) -> _Made[UnitOfWork, R]:
    return _Made["UnitOfWork", R](lambda u: make(u._connection))


def _on_session(make: Callable[[AsyncSession], R]) -> _Made[UnitOfWork, R]:
    return _Made["UnitOfWork", R](lambda u: make(u.session))


class UnitOfWork:
    """One transaction (`TransactionConnection`: begun on entry, the BEGIN doubling as the
    connection's ping). Repositories that write hand-written SQL run on the connection; the
    ORM's (configuration) on `session`, made on first use and joined to the same
    transaction."""

    _connection: TransactionConnection
    _session: AsyncSession | None

    # Repositories that write hand-written SQL use the session's connection directly: the
    # same transaction, without the ORM's per-statement bookkeeping. Configuration
    # (administration) is plain ORM on the session: low-volume paths.
    audit = _on_connection(AuditRepository)
    person_cache = _on_connection(PersonCacheRepository)
    permissions = _on_connection_only(PermissionRepository)
    care_units = _on_session(CareUnitRepository)
    offers = _on_connection_only(OfferRepository)
    orders = _on_connection(OrderRepository)
    kits = _on_connection(KitRepository)
    idempotency = _on_connection_only(IdempotencyRepository)
    sampling_units = _on_session(SamplingUnitRepository)
    laboratories = _on_session(LaboratoryRepository)
    products = _on_session(ProductRepository)
    offers_admin = _on_session(OfferAdministrationRepository)
    permission_grants = _on_session(PermissionGrantRepository)
    help_texts = _on_session(HelpTextRepository)
    assignments = _on_connection(AssignmentRepository)
    label_prints = _on_connection(LabelPrintRepository)
    sampling = _on_connection(SamplingRepository)
    dispatch = _on_connection(DispatchRepository)
    kit_batches = _on_connection(KitBatchRepository)
    integration_clients = _on_session(IntegrationClientRepository)
    integration_credentials = _on_connection_only(IntegrationClientReader)
    integration_deliveries = _on_connection(IntegrationDeliveryRepository)
    results_intake = _on_connection(ResultIntakeRepository)
    result_deliveries = _on_connection(ResultDeliveryRepository)
    outbox = _on_connection_only(OutboxRepository)
    fhir_view = _on_connection(FhirViewRepository)
    notifications = _on_connection(NotificationRepository)
    worklist = _on_connection(WorklistRepository)
    treatment_responsibility = _on_connection(TreatmentResponsibilityRepository)
    contact_tracing = _on_connection(ContactTracingRepository)
    result_registration = _on_connection(ResultRegistrationRepository)
    insight_texts = _on_session(InsightTextRepository)

    def __init__(
        self,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        protector: DataProtector,
    ) -> None:
        self._engine = engine
        self._session_factory = session_factory
        self._protector = protector

    async def __aenter__(self) -> UnitOfWork:
        _forget_repositories(self)
        self._session = None
        self._connection = await TransactionConnection.begin(self._engine)
        return self

    @property
    def session(self) -> AsyncSession:
        """The ORM's session on this unit of work's connection and transaction: what it
        flushes is committed (or rolled back) with the rest."""
        if self._session is None:
            # join_transaction_mode's default: the session joins a transaction the
            # connection is already in and leaves committing it to commit() below.
            self._session = self._session_factory(bind=self._connection.wrapped())
        return self._session

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Rolls back whatever was not committed. The session's close() detaches loaded
        # objects without expiring them, so results read inside the block stay usable.
        try:
            if self._session is not None:
                await self._session.close()
        finally:
            await self._connection.close()

    async def commit(self) -> None:
        if self._session is not None:
            # Flushes; commits the transaction too when the session began it.
            await self._session.commit()
        await self._connection.commit()
