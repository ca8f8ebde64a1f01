"""Readiness of the service for the load balancer and operations: the database and Redis
answer."""
