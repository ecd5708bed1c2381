"""Names fulfilment's services, selectors and actors share."""

# Oscar shipping event types: units in a parcel, and units staff took off a partly shipped order
# (refunded, out of stock). A line's units left to ship are its quantity less both.
SHIPPED_EVENT = "Shipped"
NOT_SHIPPED_EVENT = "Will not ship"

# The shopper's parcel email actor (shop/communications/tasks.py) sits in a layer above fulfilment, so the
# services queue it by this name (outbox_enqueue_by_name) instead of importing it.
SEND_SHIPMENT_EMAIL = "send_shipment_email"
