from django import template

from shop.fulfilment.delivery import delivery_window
from shop.fulfilment.selectors import order_parcels
from shop.orders.timeline import order_timeline
from shop.payments.selectors import order_open_chargebacks

register = template.Library()


@register.simple_tag
def timeline(order, staff: bool = False):
    """`{% timeline order as entries %}`: the order's events, oldest first (staff=True adds notes)."""
    return order_timeline(order, staff=staff)


@register.simple_tag
def parcels(order):
    """`{% parcels order as parcels %}`: the order's shipments with their lines and tracking links."""
    return order_parcels(order)


@register.simple_tag
def ship_form(order):
    """`{% ship_form order as shipment_form %}`: the dashboard's parcel form, or None when nothing can ship."""
    from shop.fulfilment.forms import ShipmentForm
    from shop.fulfilment.selectors import order_lines_shippable

    lines_left = order_lines_shippable(order)
    return ShipmentForm(lines_left=lines_left, open_chargebacks=order_open_chargebacks(order)) if lines_left else None


@register.simple_tag
def expected_delivery(order):
    """`{% expected_delivery order as window %}`: (earliest, latest) dates, or None."""
    return delivery_window(order)
