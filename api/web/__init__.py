"""What every capability shares at the web edge: dependencies (sessions, actors, module
access), the one error table, problem+json, idempotent replay, ETag/If-Match, request ids."""
