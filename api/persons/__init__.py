"""Person data through the cache rule (SPEC §4.1): the cached copy of the person register's
record while it is younger than the configured maximum age (5 days), otherwise the register's
answer, and a stale copy when the register does not answer. Used by every capability that
needs a person: login, the citizen's profile, assignment and person look-up by staff."""
