"""Svarsregistrering and Svarslogg (SPEC §5, manual 4.5): results registered by hand."""
