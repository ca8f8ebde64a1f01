"""The citizen's inbox (Inkorg, manual 3.4–3.6): the messages that a result arrived, was
corrected or is still unread — newest first, read or unread — and the start page's summary
of new results. The messages are made and delivered by the worker (api/notifications)."""
