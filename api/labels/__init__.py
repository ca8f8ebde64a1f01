"""Etiketter (SPEC §5, manual 4.3): home-kit orders waiting to be sent — address and tube
labels, export for transport companies, and batch receipt (Batchbearbetning). The same use
cases serve Ordermottagning (api/order_receipt) for anonymous kits posted home."""
