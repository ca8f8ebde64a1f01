"""Laboratories (SPEC §5): their customers (care units they send results to), the mapping
from national product codes to their own codes and tubes, their label template (ZPL, rules
in domain/labels.py) and result templates (svarsmallar). Administered per region."""
