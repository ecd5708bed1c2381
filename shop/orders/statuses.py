"""Order statuses (OSCAR_ORDER_STATUS_PIPELINE lists what staff may do with them)."""

PENDING_PAYMENT = "Pending payment"
AUTHORIZED = "Authorized"
PAID = "Paid"
PROCESSING = "Processing"
SHIPPED = "Shipped"
DELIVERED = "Delivered"
CANCELED = "Canceled"
REFUNDED = "Refunded"

# Orders that have been paid for (or whose payment is authorized and will be captured).
SETTLED = (AUTHORIZED, PAID, PROCESSING, SHIPPED, DELIVERED)
# Paid for but not yet on its way: its stock is still allocated here.
NOT_SHIPPED = (AUTHORIZED, PAID, PROCESSING)
