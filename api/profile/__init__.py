"""The citizen's profile: their own data from the person register, through the cache rule,
shown on the start page (SPEC §4.1)."""
