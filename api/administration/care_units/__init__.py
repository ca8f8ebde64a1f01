"""Care units (vårdenheter, SPEC §5): where results are delivered, which personal offers the
unit may assign, what its worklist shows. Unit administrators change their own units;
creating and retiring is for the region's administrators."""
