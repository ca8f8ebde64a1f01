"""Offers (erbjudanden, SPEC §5), versioned: every edit saves a new version and orders keep
the version they were made from. Rules of a valid offer are in domain/offers.py."""
