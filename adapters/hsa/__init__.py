"""Adapters for the HSA directory (staff identities and employee assignments)."""
