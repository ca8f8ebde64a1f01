"""Sampling units (provtagningsenheter, SPEC §5): where samples are taken, which
laboratories they send to, and their bookable times (weekly rules, closed days)."""
