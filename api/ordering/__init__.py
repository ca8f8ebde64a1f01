"""Ordering (Ny beställning, Pågående and Tidigare beställningar, Ångra beställning): the
offers a citizen may order, the guided order flow with time booking, the citizen's orders and
cancelling one (SPEC §3, §4.2–4.4; the citizen manual, chapter 3)."""
