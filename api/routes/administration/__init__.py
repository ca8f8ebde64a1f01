"""Administration (SPEC §5): the configuration every other module reads, changed by the
right administrator within their scope, with optimistic concurrency (ETag / If-Match) and an
audit entry for every change. Things that orders or results refer to are retired, never
deleted. One module per kind of configuration; shared mechanics in `common`."""

from fastapi import APIRouter

from api.routes.administration import (
    care_units,
    help_texts,
    laboratories,
    offers,
    permissions,
    products,
    regions,
    sampling_units,
)
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
):
    router.include_router(module.router)

help_router = help_texts.help_router
