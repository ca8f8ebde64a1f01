"""The staff member's working context (SPEC §3; manual 4.1–4.3): who is logged in with SITHS,
their employee assignments (medarbetaruppdrag) from HSA, the one chosen for the session, the
module menu it permits, and the person look-up staff make to confirm whom they act for."""
