"""Results from laboratory systems (SPEC §6, §7; issue 9): one result or a batch, decided by
domain/results.py, stored set-based, announced through the outbox; and results polling for
the receiving care units' systems."""
