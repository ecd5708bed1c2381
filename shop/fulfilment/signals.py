"""What fulfilment announces to the apps beside it, so that it imports none of them.

Payments and fulfilment are siblings above orders: neither calls the other. Django sends a signal
synchronously, so a receiver runs inside the sender's transaction and what it writes (an outbox row)
commits or rolls back with the shipment.
"""

from django.dispatch import Signal

# Sent by shipment_create each time a parcel of an order is handed to a carrier (every parcel of a
# partly shipped order too), inside its transaction and with the order row locked.
# Arguments: order (the locked Order), shipment (the new Shipment).
parcel_shipped = Signal()
