"""Ordermottagning (SPEC §5, manual 4.4): anonymous (pre-labelled) kits ordered through the
service and posted home; only an address label is printed, the kit carries its kit number
and RID. Works like Etiketter (api/labels), whose use cases it calls."""
