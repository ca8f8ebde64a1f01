"""Administration use cases against in-memory fakes: the one editing sequence (scope,
version, retirement, audit, commit) and the rules of the edits that branch."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.db.repositories.laboratories import ProductMapping
from api.administration import editing
from api.administration.care_units import usecases as care_units
from api.administration.laboratories import usecases as laboratories
from api.administration.products import usecases as products
from domain.administration import (
    AlreadyRetired,
    ConfigurationNotFound,
    InvalidConfiguration,
    OutsideAdministrationScope,
    StillInUse,
    require_region,
)
from domain.errors import StaleVersion, VersionRequired
from tests.unit.usecases.fakes_administration import (
    CENTRAL_ADMIN,
    LUND,
    NOW,
    SKANE_ADMIN,
    SOLNA,
    STOCKHOLM_ADMIN,
    FakeCareUnits,
    FakeLaboratories,
    FakeOffersAdmin,
    FakeProducts,
    FakeUnitOfWork,
    Item,
)


async def _rename(
    uow: FakeUnitOfWork,
    item: Item | None,
    *,
    expected_version: int | None = 1,
    actor: Any = STOCKHOLM_ADMIN,
) -> Item:
    async def change(thing: Item) -> Item:
        thing.name = "Nytt namn"
        return thing

    async def view(thing: Item) -> Item:
        return thing

    return await editing.edit(
        uow,  # type: ignore[arg-type]
        item,
        what="laboratory",
        actor=actor,
        now=NOW,
        action="update_laboratory",
        expected_version=expected_version,
        authorize=lambda thing: require_region(actor.context, thing.region_code),
        change=change,
        details=lambda thing: {"code": thing.code, "version": thing.version},
        view=view,
    )


# --- the editing sequence -------------------------------------------------------------------


async def test_an_edit_changes_bumps_the_version_audits_and_commits() -> None:
    uow = FakeUnitOfWork()
    lab = Item(version=3)
    edited = await _rename(uow, lab, expected_version=3)
    assert edited is lab
    assert (lab.name, lab.version) == ("Nytt namn", 4)
    assert [(e.action, e.outcome, e.actor_id, e.details) for e in uow.audit.events] == [
        (
            "admin:update_laboratory",
            "success",
            "SE2321000016-9001",
            {"code": "KS-MIKRO", "version": "4"},
        )
    ]
    assert uow.committed


async def test_an_edit_of_nothing_is_not_found() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(ConfigurationNotFound, match="no such laboratory"):
        await _rename(uow, None)
    assert not uow.committed


async def test_an_edit_naming_an_older_version_is_stale_and_changes_nothing() -> None:
    uow = FakeUnitOfWork()
    lab = Item(version=2)
    with pytest.raises(StaleVersion, match="the current version is 2"):
        await _rename(uow, lab, expected_version=1)
    assert (lab.name, lab.version) == ("Namn", 2)
    assert uow.audit.events == []
    assert not uow.committed


async def test_an_edit_without_a_version_is_refused() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(VersionRequired):
        await _rename(uow, Item(), expected_version=None)
    assert not uow.committed


async def test_retired_configuration_cannot_be_edited() -> None:
    uow = FakeUnitOfWork()
    lab = Item(retired_at=NOW)
    with pytest.raises(AlreadyRetired, match="the laboratory is retired"):
        await _rename(uow, lab)
    assert lab.version == 1
    assert not uow.committed


async def test_configuration_outside_the_scope_is_refused_before_its_version_is_read() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(OutsideAdministrationScope, match="region 01"):
        # A stale version too: the scope is what the refusal is about.
        await _rename(uow, Item(region_code="01", version=5), actor=SKANE_ADMIN)
    assert uow.audit.events == []
    assert not uow.committed


# --- laboratories ---------------------------------------------------------------------------


def _lab_uow() -> tuple[FakeUnitOfWork, Item]:
    lab = Item(code="KS-MIKRO")
    uow = FakeUnitOfWork(
        care_units=FakeCareUnits(Item(hsa_id=SOLNA)),
        laboratories=FakeLaboratories(lab),
        products=FakeProducts(Item(code="PEP-CT"), Item(code="PEP-GO", retired_at=NOW)),
    )
    return uow, lab


def _mapping(product_code: str) -> ProductMapping:
    return ProductMapping(product_code=product_code, lab_code="X1", tube_code="T1", material="Urin")


async def _update_lab(
    uow: FakeUnitOfWork, *, customers: list[str], mappings: list[ProductMapping]
) -> Any:
    return await laboratories.update_laboratory(
        uow=uow,  # type: ignore[arg-type]
        actor=STOCKHOLM_ADMIN,
        now=NOW,
        code="KS-MIKRO",
        expected_version=1,
        change=laboratories.LaboratoryChange(
            name="Mikrobiologen", label_template_zpl=None, customers=customers, mappings=mappings
        ),
    )


async def test_laboratory_customers_must_be_known_care_units() -> None:
    uow, lab = _lab_uow()
    with pytest.raises(InvalidConfiguration, match=f"unknown care unit {LUND}") as refused:
        await _update_lab(uow, customers=[SOLNA, LUND], mappings=[])
    assert refused.value.field == "customers"
    assert (lab.name, lab.version, uow.committed) == ("Namn", 1, False)


async def test_laboratory_maps_each_national_product_code_once() -> None:
    uow, _lab = _lab_uow()
    with pytest.raises(InvalidConfiguration, match="each national product code once") as refused:
        await _update_lab(uow, customers=[], mappings=[_mapping("PEP-CT"), _mapping("PEP-CT")])
    assert refused.value.field == "mappings"
    assert not uow.committed


async def test_laboratory_maps_only_national_product_codes_in_use() -> None:
    uow, _lab = _lab_uow()
    with pytest.raises(InvalidConfiguration, match="no national product code PEP-GO"):
        await _update_lab(uow, customers=[], mappings=[_mapping("PEP-GO")])
    assert not uow.committed


async def test_laboratory_update_saves_customers_and_mappings() -> None:
    uow, lab = _lab_uow()
    view = await _update_lab(uow, customers=[SOLNA], mappings=[_mapping("PEP-CT")])
    assert (view.laboratory.name, view.laboratory.version) == ("Mikrobiologen", 2)
    assert uow.laboratories.customers_set == {lab.id: [uow.care_units.units[SOLNA].id]}
    assert uow.laboratories.mappings_set == {lab.id: [_mapping("PEP-CT")]}
    assert [e.details for e in uow.audit.events] == [{"code": "KS-MIKRO", "version": "2"}]
    assert uow.committed


async def test_result_template_update_loads_only_its_own_laboratory() -> None:
    lab = Item(code="KS-MIKRO", region_code="01")
    other = Item(code="SUS-MIKRO", region_code="12")
    template = Item(laboratory_id=lab.id, name="Klamydia", version=4)
    uow = FakeUnitOfWork(laboratories=FakeLaboratories(lab, other, templates=[template]))
    view = await laboratories.update_result_template(
        uow=uow,  # type: ignore[arg-type]
        actor=STOCKHOLM_ADMIN,
        now=NOW,
        template_id=template.id,
        expected_version=4,
        change=laboratories.ResultTemplateDetails(
            name="Klamydia NAAT", analyses=[{"analysis": "CT"}], default_comment=None, insight=None
        ),
    )
    assert uow.laboratories.looked_up_by_id == [lab.id]
    assert (view.laboratory_code, view.template.name, view.template.version) == (
        "KS-MIKRO",
        "Klamydia NAAT",
        5,
    )


async def test_result_template_of_another_regions_laboratory_is_refused() -> None:
    lab = Item(code="SUS-MIKRO", region_code="12")
    template = Item(laboratory_id=lab.id)
    uow = FakeUnitOfWork(laboratories=FakeLaboratories(lab, templates=[template]))
    with pytest.raises(OutsideAdministrationScope):
        await laboratories.update_result_template(
            uow=uow,  # type: ignore[arg-type]
            actor=STOCKHOLM_ADMIN,
            now=NOW,
            template_id=template.id,
            expected_version=1,
            change=laboratories.ResultTemplateDetails(
                name="X", analyses=[], default_comment=None, insight=None
            ),
        )
    assert not uow.committed


# --- care units and products ------------------------------------------------------------------


async def test_care_unit_receiving_results_of_offers_in_use_cannot_be_retired() -> None:
    unit = Item(hsa_id=SOLNA)
    uow = FakeUnitOfWork(
        care_units=FakeCareUnits(unit),
        offers_admin=FakeOffersAdmin(reporting={unit.id: ["1001", "1002"]}),
    )
    with pytest.raises(StillInUse, match="offers 1001, 1002 send their results here"):
        await care_units.retire_care_unit(
            uow=uow,  # type: ignore[arg-type]
            actor=STOCKHOLM_ADMIN,
            now=NOW,
            hsa_id=SOLNA,
            expected_version=1,
        )
    assert (unit.retired_at, unit.version, uow.committed) == (None, 1, False)


async def test_care_unit_is_retired_with_a_new_version() -> None:
    unit = Item(hsa_id=SOLNA)
    uow = FakeUnitOfWork(care_units=FakeCareUnits(unit))
    view = await care_units.retire_care_unit(
        uow=uow,  # type: ignore[arg-type]
        actor=STOCKHOLM_ADMIN,
        now=NOW,
        hsa_id=SOLNA,
        expected_version=1,
    )
    assert (view.unit.retired_at, view.unit.version) == (NOW, 2)
    assert [(e.action, e.details) for e in uow.audit.events] == [
        ("admin:retire_care_unit", {"hsa_id": SOLNA})
    ]


async def test_only_a_central_administrator_may_change_even_an_unknown_product_code() -> None:
    uow = FakeUnitOfWork(products=FakeProducts())
    with pytest.raises(OutsideAdministrationScope, match="only a central administrator"):
        await products.update_product(
            uow=uow,  # type: ignore[arg-type]
            actor=STOCKHOLM_ADMIN,
            now=NOW,
            code="NOPE",
            expected_version=None,
            change=products.ProductDetails(name="Xx", material="Yy", npu_code=None),
        )
    with pytest.raises(ConfigurationNotFound, match="no such product code"):
        await products.update_product(
            uow=uow,  # type: ignore[arg-type]
            actor=CENTRAL_ADMIN,
            now=NOW,
            code="NOPE",
            expected_version=None,
            change=products.ProductDetails(name="Xx", material="Yy", npu_code=None),
        )
