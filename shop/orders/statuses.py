"""Order statuses (OSCAR_ORDER_STATUS_PIPELINE lists what staff may do with them)."""

PENDING_PAYMENT = "Pending payment"
AUTHORIZED = "Authorized"
PAID = "Paid"
PROCESSING = "Processing"
PARTIALLY_SHIPPED = "Partially shipped"
SHIPPED = "Shipped"
OUT_FOR_DELIVERY = "Out for delivery"
DELIVERY_PROBLEM = "Delivery problem"
DELIVERED = "Delivered"
CANCELED = "Canceled"
REFUNDED = "Refunded"

# Orders that have been paid for (or whose payment is authorized and will be captured).
SETTLED = (AUTHORIZED, PAID, PROCESSING, PARTIALLY_SHIPPED, SHIPPED, OUT_FOR_DELIVERY, DELIVERY_PROBLEM, DELIVERED)
# Paid for but not yet on its way: its stock is still allocated here.
NOT_SHIPPED = (AUTHORIZED, PAID, PROCESSING)
# Lines of these orders may still go into a shipment.
SHIPPABLE = (AUTHORIZED, PAID, PROCESSING, PARTIALLY_SHIPPED)
# Every line is with the carrier: the order's status follows its shipments' tracking.
ON_ITS_WAY = (SHIPPED, OUT_FOR_DELIVERY, DELIVERY_PROBLEM, DELIVERED)
# Nothing more will happen to these orders; any other is still in progress.
FINISHED = (DELIVERED, CANCELED, REFUNDED)
