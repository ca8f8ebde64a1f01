"""Our rows as FHIR R4 resources, and results from FHIR resources — validated both ways with
`fhir.resources` (its R4B models: the package no longer ships 4.0.1 ones, and these five
resources are structurally the same in R4 and R4B). Status mapping (SPEC §10): Beställd ≈
ServiceRequest active + Task requested; Hanterad ≈ Task accepted; Provtagen ≈ Task business
status specimen-collected; Besvarad ≈ DiagnosticReport final (corrected for newer versions);
Ångrad ≈ ServiceRequest revoked; Utgången ≈ ServiceRequest completed with no report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.specimen import Specimen
from fhir.resources.R4B.task import Task
from pydantic import ValidationError

from adapters.db.repositories.fhir_view import FhirLine
from api.web.schemas import text_problem
from domain.results import (
    AbnormalFlag,
    IncomingResult,
    Insight,
    InvalidFhirResource,
    ResultSource,
)

BASE = "https://egenprovhantering.se/fhir"
PERSONNUMMER = "urn:oid:1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER = "urn:oid:1.2.752.129.2.1.3.3"
RID = f"{BASE}/sid/rid"
PRODUCT = f"{BASE}/CodeSystem/product"
NPU = "urn:oid:1.2.208.176.2.1"
INSIGHT = f"{BASE}/CodeSystem/insight"
# A laboratory's own analysis codes and result ids: one system per laboratory code.
LAB_CODES = f"{BASE}/CodeSystem/laboratory-analysis/"
LAB_RESULTS = f"{BASE}/sid/laboratory-result/"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
_FLAG_CODES = {"high": "H", "low": "L", "abnormal": "A"}
_FLAGS = {v: k for k, v in _FLAG_CODES.items()}
MODELS = {
    "ServiceRequest": ServiceRequest,
    "Specimen": Specimen,
    "Task": Task,
    "DiagnosticReport": DiagnosticReport,
    "Observation": Observation,
    "OperationOutcome": OperationOutcome,
    "CapabilityStatement": CapabilityStatement,
    "Bundle": Bundle,
}


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """A produced resource, checked against its FHIR model (a bug of ours if not)."""
    model: Any = MODELS[resource["resourceType"]]
    model.model_validate(resource)
    return resource


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _patient(line: FhirLine) -> dict[str, Any]:
    system = SAMORDNINGSNUMMER if int(line.personnummer[6:8]) > 60 else PERSONNUMMER
    return {"identifier": {"system": system, "value": line.personnummer}}


def _product(line: FhirLine) -> dict[str, Any]:
    coding = [{"system": PRODUCT, "code": line.product_code, "display": line.product_name}]
    if line.npu_code:
        coding.append({"system": NPU, "code": line.npu_code})
    if line.lab_code and line.laboratory_code:
        coding.append({"system": LAB_CODES + line.laboratory_code, "code": line.lab_code})
    return {"coding": coding, "text": line.product_name}


def _meta(updated: datetime) -> dict[str, Any]:
    return {"lastUpdated": updated.isoformat()}


def line_id(line: FhirLine) -> str:
    return f"{line.order_id}-{line.line_no}"


_REQUEST_STATUS = {
    "ordered": "active",
    "handled": "active",
    "sampled": "active",
    "answered": "completed",
    "cancelled": "revoked",
    "rejected": "revoked",
    "expired": "completed",
}
_TASK_STATUS = {
    "ordered": "requested",
    "handled": "accepted",
    "sampled": "in-progress",
    "answered": "completed",
    "cancelled": "cancelled",
    "rejected": "rejected",
    "expired": "cancelled",
}


def service_request(line: FhirLine) -> dict[str, Any]:
    return validated(
        {
            "resourceType": "ServiceRequest",
            "id": line_id(line),
            "meta": _meta(line.order_updated),
            "identifier": [{"system": RID, "value": f"{line.rid}-{line.line_no}"}],
            "requisition": {"system": RID, "value": line.rid},
            "status": _REQUEST_STATUS[line.status],
            "intent": "order",
            "code": _product(line),
            "subject": _patient(line),
            "authoredOn": _instant(line.created_at),
        }
    )


def specimen(line: FhirLine) -> dict[str, Any] | None:
    if line.sampled_at is None:
        return None
    return validated(
        {
            "resourceType": "Specimen",
            "id": line_id(line),
            "meta": _meta(line.order_updated),
            "accessionIdentifier": {"system": RID, "value": line.rid},
            "status": "available",
            "subject": _patient(line),
            "request": [{"reference": f"ServiceRequest/{line_id(line)}"}],
            "collection": {"collectedDateTime": _instant(line.sampled_at)},
        }
    )


def task(line: FhirLine) -> dict[str, Any]:
    """The polling workflow of one order (its first line stands for the order)."""
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(line.order_id),
        "meta": _meta(line.order_updated),
        "identifier": [{"system": RID, "value": line.rid}],
        "status": _TASK_STATUS[line.status],
        "intent": "order",
        "focus": {"reference": f"ServiceRequest/{line_id(line)}"},
        "for": _patient(line),
        "authoredOn": _instant(line.created_at),
        "lastModified": _instant(line.order_updated),
    }
    if line.status == "sampled":
        resource["businessStatus"] = {
            "coding": [
                {"system": f"{BASE}/CodeSystem/task-business-status", "code": "specimen-collected"}
            ]
        }
    return validated(resource)


def _result_status(line: FhirLine) -> str:
    return "final" if (line.version or 1) == 1 else "corrected"


def observation(line: FhirLine) -> dict[str, Any] | None:
    if line.result_id is None or line.payload is None:
        return None
    value = (line.payload.get("values") or [{}])[0]
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(line.result_id),
        "meta": {"lastUpdated": _instant(line.received_at), "versionId": str(line.version)},
        "status": _result_status(line),
        "basedOn": [{"reference": f"ServiceRequest/{line_id(line)}"}],
        "code": _product(line),
        "subject": _patient(line),
        "effectiveDateTime": line.sampling_date.isoformat() if line.sampling_date else None,
        "issued": _instant(line.received_at),
        "valueString": value.get("value"),
    }
    if line.lab_result_id and line.laboratory_code:
        resource["identifier"] = [
            {"system": LAB_RESULTS + line.laboratory_code, "value": line.lab_result_id}
        ]
    if value.get("unit"):
        resource["valueString"] = f"{value.get('value')} {value['unit']}"
    if value.get("reference_range"):
        resource["referenceRange"] = [{"text": value["reference_range"]}]
    if value.get("flag"):
        resource["interpretation"] = [
            {"coding": [{"system": INTERPRETATION, "code": _FLAG_CODES[value["flag"]]}]}
        ]
    if line.payload.get("comment"):
        resource["note"] = [{"text": line.payload["comment"]}]
    return validated({k: v for k, v in resource.items() if v is not None})


def diagnostic_report(line: FhirLine) -> dict[str, Any] | None:
    if line.result_id is None:
        return None
    resource: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": str(line.result_id),
        "meta": {"lastUpdated": _instant(line.received_at), "versionId": str(line.version)},
        "status": _result_status(line),
        "basedOn": [{"reference": f"ServiceRequest/{line_id(line)}"}],
        "code": _product(line),
        "subject": _patient(line),
        "effectiveDateTime": line.sampling_date.isoformat() if line.sampling_date else None,
        "issued": _instant(line.received_at),
        "specimen": [{"reference": f"Specimen/{line_id(line)}"}],
        "result": [{"reference": f"Observation/{line.result_id}"}],
    }
    if line.insight:
        resource["conclusionCode"] = [{"coding": [{"system": INSIGHT, "code": line.insight}]}]
    if line.payload and line.payload.get("comment"):
        resource["conclusion"] = line.payload["comment"]
    return validated(resource)


def search_bundle(
    resources: list[dict[str, Any]],
    *,
    base_url: str,
    next_url: str | None = None,
    complete: bool = True,
) -> dict[str, Any]:
    """A searchset page: when more follow, a `next` link (with the opaque `_cursor`);
    `total` (every match) only when this one page holds them all."""
    # FHIR JSON has no empty arrays: an empty search answers a Bundle without entries.
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset"}
    if complete:
        bundle["total"] = len(resources)
    if next_url:
        bundle["link"] = [{"relation": "next", "url": next_url}]
    entries = [
        {
            "fullUrl": f"{base_url}/{r['resourceType']}/{r['id']}",
            "resource": r,
            "search": {"mode": "match"},
        }
        for r in resources
    ]
    if entries:
        bundle["entry"] = entries
    return validated(bundle)


def operation_outcome(
    *, code: str, diagnostics: str, expression: str | None = None
) -> dict[str, Any]:
    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return validated({"resourceType": "OperationOutcome", "issue": [issue]})


def capability_statement(*, base_url: str, now: datetime) -> dict[str, Any]:
    search = [
        {
            "name": "_lastUpdated",
            "type": "date",
            "documentation": "ge: changed at or after the instant; gt: after it (a date "
            "stands for the whole day); pages follow the Bundle's next link",
        },
        {"name": "_count", "type": "number"},
    ]

    def read_only(kind: str, scope: str) -> dict[str, Any]:
        return {
            "type": kind,
            "interaction": [{"code": "search-type"}],
            "searchParam": search,
            "documentation": f"Scope {scope}; only your organisation's orders.",
        }

    return validated(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": now.isoformat(),
            "publisher": "Egen provhantering",
            "kind": "instance",
            "implementation": {"description": "Egen provhantering FHIR view", "url": base_url},
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": "OAuth2 client credentials (POST /oauth/token); "
                        "Authorization: Bearer <token>"
                    },
                    "resource": [
                        read_only("ServiceRequest", "orders:read"),
                        read_only("Specimen", "orders:read"),
                        read_only("Task", "orders:read"),
                        read_only("DiagnosticReport", "results:read"),
                        read_only("Observation", "results:read"),
                    ],
                    "interaction": [
                        {
                            "code": "transaction",
                            "documentation": "A Bundle of DiagnosticReport + Observation "
                            "results (scope results:write): all stored or none.",
                        }
                    ],
                }
            ],
        }
    )


# --- results in: a transaction Bundle ------------------------------------------------------

# A transaction Bundle as a laboratory sends it (the OpenAPI example of `POST /fhir`): one
# DiagnosticReport naming the order and sampling date, one Observation per result.
EXAMPLE_TRANSACTION: dict[str, Any] = {
    "resourceType": "Bundle",
    "type": "transaction",
    "entry": [
        {
            "fullUrl": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000001",
            "resource": {
                "resourceType": "DiagnosticReport",
                "status": "final",
                "code": {"text": "Klamydia och gonorré, NAAT"},
                "basedOn": [{"identifier": {"system": RID, "value": "7K2M9QX4PB"}}],
                "effectiveDateTime": "2026-12-01",
                "conclusionCode": [{"coding": [{"system": INSIGHT, "code": "positive"}]}],
                "result": [
                    {"reference": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000002"},
                    {"reference": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000003"},
                ],
            },
            "request": {"method": "POST", "url": "DiagnosticReport"},
        },
        {
            "fullUrl": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000002",
            "resource": {
                "resourceType": "Observation",
                "meta": {"versionId": "1"},
                "status": "final",
                "identifier": [{"system": LAB_RESULTS + "KUL", "value": "KUL-2026-000123"}],
                "code": {"coding": [{"system": LAB_CODES + "KUL", "code": "CTNA"}]},
                "valueString": "Påvisad",
                "referenceRange": [{"text": "Ej påvisad"}],
                "interpretation": [{"coding": [{"system": INTERPRETATION, "code": "A"}]}],
                "note": [{"text": "Kontakta din vårdgivare för behandling."}],
            },
            "request": {"method": "POST", "url": "Observation"},
        },
        {
            "fullUrl": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000003",
            "resource": {
                "resourceType": "Observation",
                "meta": {"versionId": "1"},
                "status": "final",
                "identifier": [{"system": LAB_RESULTS + "KUL", "value": "KUL-2026-000124"}],
                "code": {"coding": [{"system": LAB_CODES + "KUL", "code": "NGNA"}]},
                "valueString": "Ej påvisad",
                "referenceRange": [{"text": "Ej påvisad"}],
            },
            "request": {"method": "POST", "url": "Observation"},
        },
    ],
}


def _fail(expression: str, message: str) -> InvalidFhirResource:
    return InvalidFhirResource(expression, message, code="invalid_fhir")


# The native endpoint's limits (api/results_intake/schemas.py ResultIn, the columns).
MAX_LAB_VERSION = 1_000_000


def _text(expression: str, value: Any, *, max_length: int) -> str:
    text = str(value)
    if not text:
        raise _fail(expression, "must not be empty")
    if len(text) > max_length:
        raise _fail(expression, f"at most {max_length} characters")
    if (problem := text_problem(text)) is not None:
        raise _fail(expression, problem[1])
    return text


def _optional_text(expression: str, value: Any, *, max_length: int) -> str | None:
    return None if value is None else _text(expression, value, max_length=max_length)


def _sampling_date(effective: Any) -> date:
    """The sampling date: a FHIR date or dateTime to the day (`2026-12-01`,
    `2026-12-01T09:30:00+01:00`); a partial date (`2026`, `2026-12`) names no day."""
    try:
        return date.fromisoformat(str(effective)[:10])
    except ValueError:
        raise _fail(
            "DiagnosticReport.effectiveDateTime", "the sampling date, to the day (YYYY-MM-DD)"
        ) from None


def results_from_bundle(raw: dict[str, Any]) -> list[IncomingResult]:
    """The results a transaction Bundle carries: each DiagnosticReport names the order by
    RID (`basedOn` identifier of the RID system) and the sampling date
    (`effectiveDateTime`); each Observation in its `result` is one result — analysis code in
    the laboratory's system, value, reference range, interpretation (H/L/A), note, the
    laboratory's result id (`identifier`) and version (`meta.versionId`). Raises
    InvalidFhirResource naming where."""
    try:
        bundle = Bundle.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        raise _fail("Bundle." + ".".join(str(p) for p in first["loc"]), first["msg"]) from None
    if bundle.type != "transaction":
        raise _fail("Bundle.type", "send a transaction Bundle")
    by_url: dict[str, dict[str, Any]] = {}
    reports: list[dict[str, Any]] = []
    for index, entry in enumerate(raw.get("entry") or []):
        resource = entry.get("resource") or {}
        kind = resource.get("resourceType")
        if kind not in ("DiagnosticReport", "Observation"):
            raise _fail(f"Bundle.entry[{index}]", "only DiagnosticReport and Observation")
        if entry.get("fullUrl"):
            by_url[entry["fullUrl"]] = resource
        if kind == "DiagnosticReport":
            reports.append(resource)
    if not reports:
        raise _fail("Bundle.entry", "no DiagnosticReport")
    items: list[IncomingResult] = []
    for report in reports:
        rid = next(
            (
                b.get("identifier", {}).get("value")
                for b in report.get("basedOn", [])
                if b.get("identifier", {}).get("system") == RID
            ),
            None,
        )
        if not rid:
            raise _fail("DiagnosticReport.basedOn", f"name the order by an identifier of {RID}")
        if report.get("status") not in ("final", "corrected", "amended"):
            raise _fail("DiagnosticReport.status", "final, corrected or amended")
        effective = report.get("effectiveDateTime")
        if not effective:
            raise _fail("DiagnosticReport.effectiveDateTime", "the sampling date is required")
        sampling_date = _sampling_date(effective)
        rid = _text("DiagnosticReport.basedOn", rid, max_length=20)
        insight = next(
            (
                c.get("code")
                for cc in report.get("conclusionCode", [])
                for c in cc.get("coding", [])
                if c.get("system") == INSIGHT
            ),
            None,
        )
        if insight is not None and insight not in {i.value for i in Insight}:
            raise _fail("DiagnosticReport.conclusionCode", f"unknown insight {insight!r}")
        for reference in report.get("result", []):
            observation = by_url.get(reference.get("reference", ""))
            if observation is None:
                raise _fail(
                    "DiagnosticReport.result", "each result must be an Observation of the Bundle"
                )
            items.append(_from_observation(observation, rid, sampling_date, insight))
    return items


def _from_observation(
    resource: dict[str, Any], rid: str, sampling_date: date, insight: str | None
) -> IncomingResult:
    code = next(
        (
            c
            for c in resource.get("code", {}).get("coding", [])
            if str(c.get("system", "")).startswith(LAB_CODES)
        ),
        None,
    )
    if code is None or not code.get("code"):
        raise _fail("Observation.code", f"a coding of the system {LAB_CODES}<laboratory code>")
    identifier = next(
        (
            i
            for i in resource.get("identifier", [])
            if str(i.get("system", "")).startswith(LAB_RESULTS)
        ),
        None,
    )
    if identifier is None or not identifier.get("value"):
        raise _fail("Observation.identifier", f"your result id, system {LAB_RESULTS}<lab>")
    try:
        version = int(str(resource.get("meta", {}).get("versionId", "")))
    except ValueError:
        version = 0
    if not 1 <= version <= MAX_LAB_VERSION:
        raise _fail(
            "Observation.meta.versionId", f"your result's version (1 to {MAX_LAB_VERSION:,})"
        )
    if "valueString" in resource:
        value, unit = str(resource["valueString"]), None
    elif "valueQuantity" in resource:
        quantity = resource["valueQuantity"]
        value, unit = str(quantity.get("value")), quantity.get("unit")
    else:
        raise _fail("Observation.value[x]", "valueString or valueQuantity")
    flag = next(
        (
            _FLAGS.get(c.get("code", ""))
            for i in resource.get("interpretation", [])
            for c in i.get("coding", [])
            if c.get("system") == INTERPRETATION
        ),
        None,
    )
    ranges = resource.get("referenceRange") or [{}]
    notes = resource.get("note") or [{}]
    return IncomingResult(
        rid=rid,
        sampling_date=sampling_date,
        value=_text("Observation.value[x]", value, max_length=200),
        analysis_code=_text("Observation.code", code["code"], max_length=32),
        unit=_optional_text("Observation.valueQuantity.unit", unit, max_length=40),
        reference_range=_optional_text(
            "Observation.referenceRange", ranges[0].get("text"), max_length=100
        ),
        abnormal_flag=AbnormalFlag(flag) if flag else None,
        comment=_optional_text("Observation.note", notes[0].get("text"), max_length=4000),
        lab_result_id=_text("Observation.identifier", identifier["value"], max_length=64),
        lab_version=version,
        insight=Insight(insight) if insight else None,
        source=ResultSource.ELECTRONIC,
    )


def operation_outcome_information(outcome: str) -> dict[str, Any]:
    """What became of one result of a transaction: created, corrected, duplicate or
    superseded (the native API's outcomes)."""
    return validated(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "information", "code": "informational", "diagnostics": outcome}],
        }
    )
