"""VAT as an invoice states it: per rate, on the sum of gross amounts, rounded half up once."""

from decimal import Decimal

import pytest

from shop.bootstrap import reference_data_ensure
from shop.pricing.vat import vat_breakdown, vat_included_in, vat_share
from tests.support.checkout import basket_with, place_pending, product_with_stock

D = Decimal


def test_ten_at_1_99_and_9_percent_carry_1_64_of_vat_not_1_60():
    summary = vat_breakdown([(D("0.09"), D("1.99") * 10)])

    assert summary.vat == D("1.64")
    assert summary.net == D("18.26")


def test_half_a_cent_rounds_up():
    # €0.605 at 21 % holds exactly €0.105 of VAT: half up gives 0.11, where half even would give 0.10.
    assert vat_included_in(D("0.605"), D("0.21")) == D("0.11")


def test_rates_are_summed_separately_highest_first():
    summary = vat_breakdown([(D("0.21"), D("12.10")), (D("0.09"), D("10.90")), (D("0.21"), D("12.10"))])

    assert [(line.rate, line.gross, line.vat) for line in summary.lines] == [
        (D("0.21"), D("24.20"), D("4.20")),
        (D("0.09"), D("10.90"), D("0.90")),
    ]
    assert summary.vat == D("5.10") and summary.gross == D("35.10")


def test_a_partial_refund_carries_its_share_of_each_rate():
    summary = vat_breakdown([(D("0.21"), D("60.50")), (D("0.09"), D("54.50"))])

    share = vat_share(summary, D("11.50"))

    assert share.gross == D("11.50")
    assert [(line.rate, line.gross) for line in share.lines] == [(D("0.21"), D("6.05")), (D("0.09"), D("5.45"))]


@pytest.mark.django_db
def test_an_order_stores_the_invoice_vat_in_its_totals():
    reference_data_ensure()
    liquorice = product_with_stock(title="Liquorice", price="1.99", stock=20, vat_category="reduced")

    order = place_pending(basket_with(liquorice, 10)).order

    assert order.total_incl_tax == D("19.90")
    assert order.total_incl_tax - order.total_excl_tax == D("1.64")
    assert order.lines.get().tax_code == "0.09"
