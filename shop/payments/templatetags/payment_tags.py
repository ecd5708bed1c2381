from django import template

from shop.payments.selectors import order_payments_with_history

register = template.Library()


@register.simple_tag
def order_payments(order):
    """`{% order_payments order as payments %}`: payments with refunds and chargebacks prefetched."""
    return order_payments_with_history(order)
