"""Tilldela erbjudande and Tilldelade erbjudanden (SPEC §5; manual 4.9, 4.10): a care unit
assigns personal offers to a patient, who then sees them in the citizen app; the unit lists
and removes what it assigned. Includes the deep link (uthopp, docs/adr/0004) by which a
journal system opens assignment for its patient."""
