"""The payment methods the simulator offers, when each applies, and the images it serves for them.

Limits are written in euros and compared 1:1 in any currency: the simulator has no exchange rates.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from .money import money


@dataclass(frozen=True)
class MethodSpec:
    id: str
    description: str
    currencies: frozenset[str]
    minimum: Decimal
    maximum: Decimal | None
    colour: str
    # Billing countries the method is offered in; None means everywhere.
    countries: frozenset[str] | None = None
    # Pay-later methods end in "authorized" and need a capture before they are paid.
    authorizes: bool = False

    def offered(self, *, value: Decimal | None, currency: str | None, billing_country: str | None) -> bool:
        if currency is not None and currency not in self.currencies:
            return False
        if value is not None and (value < self.minimum or (self.maximum is not None and value > self.maximum)):
            return False
        return billing_country is None or self.countries is None or billing_country in self.countries


_CARD_CURRENCIES = frozenset({"EUR", "USD", "GBP", "CHF", "DKK", "NOK", "SEK", "PLN"})

METHODS: dict[str, MethodSpec] = {
    spec.id: spec
    for spec in (
        MethodSpec("creditcard", "Card", _CARD_CURRENCIES, Decimal("0.01"), Decimal("10000.00"), "#1f4e8c"),
        MethodSpec("ideal", "iDEAL", frozenset({"EUR"}), Decimal("0.01"), Decimal("50000.00"), "#a3106b"),
        MethodSpec(
            "bancontact",
            "Bancontact",
            frozenset({"EUR"}),
            Decimal("0.02"),
            Decimal("50000.00"),
            "#005498",
            countries=frozenset({"BE"}),
        ),
        MethodSpec("paypal", "PayPal", _CARD_CURRENCIES, Decimal("0.01"), None, "#00457c"),
        MethodSpec(
            "banktransfer", "Bank transfer", frozenset({"EUR"}), Decimal("0.01"), Decimal("1000000.00"), "#2d6a4f"
        ),
        MethodSpec(
            "klarna",
            "Pay later (Klarna)",
            frozenset({"EUR"}),
            Decimal("1.00"),
            Decimal("10000.00"),
            "#8a3b5c",
            countries=frozenset({"NL", "BE", "DE"}),
            authorizes=True,
        ),
    )
}
RECURRING_METHODS = frozenset({"creditcard", "paypal"})


def offered_methods(
    *, value: Decimal | None = None, currency: str | None = None, billing_country: str | None = None
) -> list[MethodSpec]:
    return [
        spec
        for spec in METHODS.values()
        if spec.offered(value=value, currency=currency, billing_country=billing_country)
    ]


def method_json(spec: MethodSpec, *, currency: str, api_url: str, public_url: str) -> dict:
    image = f"{public_url}/images/{spec.id}.svg"
    return {
        "resource": "method",
        "id": spec.id,
        "description": spec.description,
        "minimumAmount": money(spec.minimum, currency),
        "maximumAmount": money(spec.maximum, currency) if spec.maximum is not None else None,
        "image": {"size1x": image, "size2x": image, "svg": image},
        "status": "activated",
        "_links": {
            "self": {"href": f"{api_url}/v2/methods/{spec.id}", "type": "application/hal+json"},
            "documentation": {"href": "https://docs.mollie.com/reference/get-method", "type": "text/html"},
        },
    }


def method_svg(spec: MethodSpec) -> bytes:
    label = escape(spec.description)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="48" viewBox="0 0 128 48" role="img" '
        f'aria-label="{label}"><rect width="128" height="48" rx="6" fill="{spec.colour}"/>'
        '<text x="64" y="29" font-family="sans-serif" font-size="11" font-weight="bold" fill="#ffffff" '
        f'text-anchor="middle">{label}</text></svg>'
    ).encode()
