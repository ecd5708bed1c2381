from django import template

from shop.addresses.formats import address_lines as lines_of

register = template.Library()


@register.filter
def address_lines(address) -> list[str]:
    """{% for line in order.shipping_address|address_lines %}: the address as its country writes it."""
    return lines_of(address) if address else []
