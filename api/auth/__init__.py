"""Login and logout for both apps (SPEC §1, §3): citizens with BankID, staff with SITHS, by
OIDC against the region's identity providers. After the login the browser holds only an
HttpOnly session cookie (no tokens reach JavaScript); the session endpoint tells the app
whether it is logged in and gives it the CSRF token."""
