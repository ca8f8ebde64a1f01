"""The transactional outbox's delivery (domain/outbox.py): the worker's drain, and the
dead letters operators look at and requeue."""
