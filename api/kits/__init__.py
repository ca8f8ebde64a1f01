"""Kits (Registrera provtagningskit): a citizen binds a pre-labelled anonymous kit, by its
kit number and RID, to themselves; registering turns the kit into their order (SPEC §2,
§4.4; the citizen manual, 3.2). Wrong attempts are counted and lock registration for a
while."""
