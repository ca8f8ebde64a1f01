"""Pre-labelled kits for anonymous-kit offers, made in batches by administrators."""
