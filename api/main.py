"""ASGI entry point for uvicorn: `uvicorn api.main:app`."""

from api.app import create_app
from api.logging_setup import configure_logging

configure_logging()
app = create_app()
