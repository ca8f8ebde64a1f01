"""Consumers of the outbox's events (domain/outbox.py): the citizen notification and the
result recipient's system. `local` holds the implementations used in development and
tests — real ones, recording in the database what was delivered."""
