"""The citizen's contact details for notifications (Inställningar): the e-mail address and
mobile number to which the service says that a new result is waiting (manual 3.4)."""
