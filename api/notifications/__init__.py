"""The citizen's messages as the worker makes and delivers them (docs/adr/0009-notifications.md):
an inbox message per new or corrected result (from the outbox's `result_available` events),
a reminder per result unread after the reminder period (a scheduled job), and each message's
delivery on each channel — inbox, e-mail, SMS — from an outbox event of its own. No routes:
the citizen reads the inbox through api/inbox and sets the contact details through
api/contact_details."""
