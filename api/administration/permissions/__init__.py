"""Permissions (behörigheter, SPEC §1, §5): who may use which module where, granted and
revoked by administrators; who granted what, and when, is kept and audited."""
