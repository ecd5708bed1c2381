"""What happens to an order that other apps answer, announced here so the sender imports none of them.

Fulfilment sends, payments receives: payments sits below fulfilment, which reads payments (open chargebacks
stop a parcel), so payments must not import fulfilment back. Django sends a signal synchronously: a receiver
runs inside the sender's transaction, and what it writes (an outbox row) commits or rolls back with it.
"""

from django.dispatch import Signal

# Sent by shipment_create each time a parcel of an order is handed to a carrier (every parcel of a
# partly shipped order too), inside its transaction and with the order row locked.
# Arguments: order (the locked Order), shipment (the new Shipment).
parcel_shipped = Signal()
