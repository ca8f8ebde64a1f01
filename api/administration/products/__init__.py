"""National product codes (SPEC §5): the analyses offers are made of and laboratories map
to their own codes. Central administrators only."""
