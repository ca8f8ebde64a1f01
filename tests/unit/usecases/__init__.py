"""Use-case tests against in-memory fakes (a package: its test modules share basenames with
integration tests, e.g. test_assignment.py)."""
