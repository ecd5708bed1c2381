"""Names the notifications app shares between its services and its actors."""

# The delivery actor (tasks.py) calls the services, so the services queue it by this name
# (outbox_enqueue_by_name) and find its outbox rows by it, instead of importing it.
SEND_EMAIL = "send_email"
