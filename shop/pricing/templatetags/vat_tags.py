from django import template

from shop.pricing.vat import basket_vat_summary, order_vat_summary, rate_from_tax_code

register = template.Library()


@register.simple_tag
def basket_vat(basket, shipping_charge=None):
    """`{% basket_vat basket shipping_charge as vat %}`: VAT per rate, as the invoice will state it."""
    return basket_vat_summary(basket, shipping_charge)


@register.simple_tag
def order_vat(order):
    return order_vat_summary(order)


@register.filter
def vat_percent(tax_code: str) -> str:
    """An order line's tax code ("0.21") as a percentage ("21%")."""
    return f"{(rate_from_tax_code(tax_code) * 100).normalize():f}%" if tax_code else ""
