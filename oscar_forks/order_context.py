"""What an order's pages show beside Oscar's own context. The views read it, so templates only display: one
place to see (and count) the queries a page makes, and no template tag reaching into other domains."""

from shop.communications.timeline import order_timeline
from shop.fulfilment.delivery import delivery_window
from shop.fulfilment.forms import ShipmentForm
from shop.fulfilment.selectors import order_lines_shippable, order_parcels
from shop.payments.selectors import order_open_chargebacks, order_payments_with_history
from shop.pricing.vat import order_vat_summary


def shopper_order_context(order) -> dict:
    """The shopper's order page, signed in or by the signed link: payments, parcels and timeline."""
    return {
        "order_payments": order_payments_with_history(order),
        "order_parcels": order_parcels(order),
        "order_timeline": order_timeline(order, staff=False),
    }


def staff_order_context(order) -> dict:
    """The dashboard's order page: the shopper's view with staff notes, and the parcel form while lines are left."""
    lines_left = order_lines_shippable(order)
    return {
        "order_payments": order_payments_with_history(order),
        "order_parcels": order_parcels(order),
        "order_timeline": order_timeline(order, staff=True),
        "shipment_form": (
            ShipmentForm(lines_left=lines_left, open_chargebacks=order_open_chargebacks(order)) if lines_left else None
        ),
    }


def thank_you_context(order) -> dict:
    """The page after payment: what was paid, when the parcel should arrive, the VAT the invoice states."""
    return {
        "order_payments": order_payments_with_history(order),
        "delivery_window": delivery_window(order),
        "order_vat": order_vat_summary(order),
    }
