"""The outside world of notifications and result delivery: the citizen's inbox
(inbox.py), e-mail over SMTP (email.py, and the local SMTP sink mail_sink.py), SMS
(sms.py), and the local result recipient's system (local.py). Each channel has a local
implementation for development and tests and a production one behind the same port
(domain/notifications.py, domain/outbox.py)."""
