"""Adapters for the national person service (Personuppgiftstjänst, GetPersonsForProfile v3)."""
