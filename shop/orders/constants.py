"""Names shared by the order emails' actors and the services that queue them."""

# The order emails' actors (shop/communications/tasks.py) sit in a layer above payments and orders, which
# queue them, so those services name them (outbox_enqueue_by_name) instead of importing
# them. The names are the actors' original function names: messages already queued, and dead letters, still
# find them.
SEND_ORDER_CONFIRMATION = "send_order_confirmation"
SEND_TRANSFER_INSTRUCTIONS = "send_transfer_instructions"
SEND_REFUND_EMAIL = "send_refund_email"
SEND_PAYMENT_RECEIPT = "send_payment_receipt"
SEND_ORDER_LINK = "send_order_link"
