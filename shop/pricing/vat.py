"""VAT the way an invoice computes it.

Shelf prices include VAT. An invoice states VAT per rate, computed on the sum of
the gross amounts at that rate and rounded half up once: 10 × €1.99 at 9 % carries
€1.64 of VAT, not 10 × €0.16. Totals, previews, orders and receipts all use this.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


def vat_included_in(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT contained in a gross amount, rounded half up to the cent."""
    return (gross * rate / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def tax_code_for(rate: Decimal) -> str:
    """Order lines remember the rate they were sold at in Oscar's `tax_code` ("0.21")."""
    return format(rate.normalize(), "f")


def rate_from_tax_code(tax_code: str) -> Decimal:
    return Decimal(tax_code)


@dataclass(frozen=True)
class VatLine:
    rate: Decimal
    gross: Decimal
    vat: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.vat

    @property
    def percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}%"


@dataclass(frozen=True)
class VatSummary:
    lines: tuple[VatLine, ...]

    @property
    def gross(self) -> Decimal:
        return sum((line.gross for line in self.lines), Decimal("0.00"))

    @property
    def vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), Decimal("0.00"))

    @property
    def net(self) -> Decimal:
        return self.gross - self.vat


def vat_breakdown(amounts: Iterable[tuple[Decimal, Decimal]]) -> VatSummary:
    """Group (rate, gross amount) pairs by rate; VAT per rate, highest rate first."""
    totals: dict[Decimal, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for rate, gross in amounts:
        totals[rate] += gross
    return VatSummary(
        tuple(
            VatLine(rate=rate, gross=gross, vat=vat_included_in(gross, rate))
            for rate, gross in sorted(totals.items(), reverse=True)
        )
    )


def basket_vat_summary(basket, shipping_charge=None) -> VatSummary:
    """VAT per rate of a basket (after discounts) plus its delivery charge."""
    amounts = [
        (rate_from_tax_code(line.purchase_info.price.tax_code), line.line_price_incl_tax_incl_discounts)
        for line in basket.all_lines()
    ]
    if shipping_charge is not None and shipping_charge.incl_tax:
        amounts.append((_shipping_rate(shipping_charge.tax_code), shipping_charge.incl_tax))
    return vat_breakdown(amounts)


def order_vat_summary(order) -> VatSummary:
    """VAT per rate of a placed order, from the rates its lines were sold at."""
    amounts = [(rate_from_tax_code(line.tax_code), line.line_price_incl_tax) for line in order.lines.all()]
    if order.shipping_incl_tax:
        amounts.append((_shipping_rate(order.shipping_tax_code), order.shipping_incl_tax))
    return vat_breakdown(amounts)


def _shipping_rate(tax_code: str | None) -> Decimal:
    # An offer's wrapper around a delivery method may drop the tax code: delivery is taxed at the standard rate.
    return rate_from_tax_code(tax_code) if tax_code else settings.SHOP_VAT_RATES[settings.SHOP_SHIPPING_VAT_CATEGORY]


def vat_share(summary: VatSummary, amount: Decimal) -> VatSummary:
    """The part of `summary` that `amount` (gross, e.g. a partial refund) stands for, split
    over the rates in proportion to their gross amounts; the last rate takes the rounding rest."""
    if not summary.lines or not summary.gross:
        return VatSummary(())
    shares, rest = [], amount
    for line in summary.lines[:-1]:
        share = (amount * line.gross / summary.gross).quantize(CENT, rounding=ROUND_HALF_UP)
        shares.append((line.rate, share))
        rest -= share
    shares.append((summary.lines[-1].rate, rest))
    return vat_breakdown(shares)
