"""ASGI entry point for uvicorn: `uvicorn api.main:app`."""

import gc

from api.app import create_app
from api.logging_setup import configure_logging

configure_logging()
app = create_app()
# What is built so far (modules, the app, its models and statements) lives as long as the
# worker: move it out of the collector's reach, so that a full collection walks only what
# requests allocate — otherwise each one walked the whole heap (about 100 ms, every few
# result batches of 1,000: a quarter of the batch endpoint's CPU; bench/README.md).
gc.freeze()
