"""The unit of work: one transaction per use case. Nothing is committed unless the use case
calls commit(); leaving the block without it (or with an exception) rolls everything back."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

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


class Reader:
    """Repositories on one autocommit connection, for reads that are a single statement each
    (no BEGIN/COMMIT round trips). Anything that writes goes through a UnitOfWork."""

    offers: OfferRepository
    orders: OrderRepository
    person_cache: PersonCacheRepository
    permissions: PermissionRepository
    integration_clients: IntegrationClientReader
    notifications: NotificationRepository

    def __init__(self, engine: AsyncEngine, protector: DataProtector) -> None:
        # An engine created with autocommit (adapters.db.engine.create_engine).
        self._engine = engine
        self._protector = protector

    async def __aenter__(self) -> Reader:
        self._connection = await self._engine.connect()
        self.offers = OfferRepository(self._connection)
        self.orders = OrderRepository(self._connection, self._protector)
        self.person_cache = PersonCacheRepository(self._connection, self._protector)
        self.permissions = PermissionRepository(self._connection)
        self.integration_clients = IntegrationClientReader(self._connection)
        self.notifications = NotificationRepository(self._connection, self._protector)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._connection.close()


class UnitOfWork:
    session: AsyncSession
    audit: AuditRepository
    person_cache: PersonCacheRepository
    permissions: PermissionRepository
    care_units: CareUnitRepository
    offers: OfferRepository
    orders: OrderRepository
    kits: KitRepository
    idempotency: IdempotencyRepository
    sampling_units: SamplingUnitRepository
    laboratories: LaboratoryRepository
    products: ProductRepository
    offers_admin: OfferAdministrationRepository
    permission_grants: PermissionGrantRepository
    help_texts: HelpTextRepository
    assignments: AssignmentRepository
    label_prints: LabelPrintRepository
    sampling: SamplingRepository
    dispatch: DispatchRepository
    kit_batches: KitBatchRepository
    integration_clients: IntegrationClientRepository
    integration_credentials: IntegrationClientReader
    integration_deliveries: IntegrationDeliveryRepository
    results_intake: ResultIntakeRepository
    result_deliveries: ResultDeliveryRepository
    outbox: OutboxRepository
    fhir_view: FhirViewRepository
    notifications: NotificationRepository
    worklist: WorklistRepository
    treatment_responsibility: TreatmentResponsibilityRepository
    contact_tracing: ContactTracingRepository
    result_registration: ResultRegistrationRepository
    insight_texts: InsightTextRepository

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], protector: DataProtector
    ) -> None:
        self._session_factory = session_factory
        self._protector = protector

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        # Repositories that write hand-written SQL use the session's connection directly:
        # the same transaction, without the ORM's per-statement bookkeeping.
        connection = await self.session.connection()
        self.audit = AuditRepository(connection, self._protector)
        self.person_cache = PersonCacheRepository(connection, self._protector)
        self.permissions = PermissionRepository(connection)
        self.care_units = CareUnitRepository(self.session)
        self.offers = OfferRepository(connection)
        self.orders = OrderRepository(connection, self._protector)
        self.kits = KitRepository(connection, self._protector)
        self.idempotency = IdempotencyRepository(connection)
        # Configuration (administration): plain ORM on the session, low-volume paths.
        self.sampling_units = SamplingUnitRepository(self.session)
        self.laboratories = LaboratoryRepository(self.session)
        self.products = ProductRepository(self.session)
        self.offers_admin = OfferAdministrationRepository(self.session)
        self.permission_grants = PermissionGrantRepository(self.session)
        self.help_texts = HelpTextRepository(self.session)
        self.assignments = AssignmentRepository(connection, self._protector)
        self.label_prints = LabelPrintRepository(connection, self._protector)
        self.sampling = SamplingRepository(connection, self._protector)
        self.dispatch = DispatchRepository(connection, self._protector)
        self.kit_batches = KitBatchRepository(connection, self._protector)
        self.integration_clients = IntegrationClientRepository(self.session)
        self.integration_credentials = IntegrationClientReader(connection)
        self.integration_deliveries = IntegrationDeliveryRepository(connection, self._protector)
        self.results_intake = ResultIntakeRepository(connection, self._protector)
        self.result_deliveries = ResultDeliveryRepository(connection, self._protector)
        self.outbox = OutboxRepository(connection)
        self.fhir_view = FhirViewRepository(connection, self._protector)
        self.notifications = NotificationRepository(connection, self._protector)
        self.worklist = WorklistRepository(connection, self._protector)
        self.treatment_responsibility = TreatmentResponsibilityRepository(
            connection, self._protector
        )
        self.contact_tracing = ContactTracingRepository(connection, self._protector)
        self.result_registration = ResultRegistrationRepository(connection, self._protector)
        self.insight_texts = InsightTextRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches loaded objects without
        # expiring them, so results read inside the block stay usable after it.
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
