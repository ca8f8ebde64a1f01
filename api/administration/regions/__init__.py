"""Regions (SPEC §5): Sweden's 21, read-only; what every other configuration belongs to."""
