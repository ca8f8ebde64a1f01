"""Results, as the citizen handles them: marking an order's results read (care sees it in
the worklist), and deleting an order with its results for good (SPEC §3 "Deleted", §4.8;
the citizen manual, 3.4 and 3.7). Results are shown with the order (ordering capability)."""
