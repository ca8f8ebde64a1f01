"""A FHIR R4 view of orders and results (SPEC §9, issue 9), beside the native integration
API: read-only ServiceRequest, Specimen, Task, DiagnosticReport and Observation with
`_lastUpdated` search, a CapabilityStatement, and POST of a transaction Bundle of
DiagnosticReport + Observation results (the same use case as the native endpoint). Same
scopes and organisation isolation as the native API. Every resource produced or accepted is
validated with `fhir.resources`."""
