"""Administration (SPEC §5): the configuration every other module reads, changed by the
right administrator within their scope, with optimistic concurrency (ETag / If-Match) and an
audit entry for every change. Things that orders or results refer to are retired, never
deleted.

One folder per kind of configuration (routes, schemas, use cases); shared here:
`access` (admin scope as a dependency, refusals audited), `editing` (the one
load → scope → version → not retired → change → version → audit → commit sequence) and
`fields` (field types several resources use)."""

from fastapi import APIRouter

from api.administration.care_units import routes as care_units
from api.administration.help_texts import routes as help_texts
from api.administration.insight_texts import routes as insight_texts
from api.administration.integration_clients import routes as integration_clients
from api.administration.kits import routes as kits
from api.administration.laboratories import routes as laboratories
from api.administration.offers import routes as offers
from api.administration.permissions import routes as permissions
from api.administration.products import routes as products
from api.administration.regions import routes as regions
from api.administration.sampling_units import routes as sampling_units
from api.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/admin", tags=["administration"], responses=PROBLEM_RESPONSES)
for module in (
    regions,
    care_units,
    sampling_units,
    laboratories,
    products,
    offers,
    permissions,
    help_texts,
    insight_texts,
    kits,
    integration_clients,
):
    router.include_router(module.router)

help_router = help_texts.help_router
