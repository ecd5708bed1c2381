from django import template

from shop.pricing.vat import rate_from_tax_code

register = template.Library()


@register.filter
def vat_percent(tax_code: str) -> str:
    """An order line's tax code ("0.21") as a percentage ("21%")."""
    return f"{(rate_from_tax_code(tax_code) * 100).normalize():f}%" if tax_code else ""
