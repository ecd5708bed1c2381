"""Checkout for tests: build what a checkout submits, walk its pages, act as the shopper at Mollie."""

from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_model

from oscar_forks.checkout.calculators import OrderTotalCalculator
from oscar_forks.partner.strategy import Selector
from shop.orders.services import order_place_pending

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")


def product_with_stock(*, title: str, price: str = "19.95", stock: int = 5, vat_category: str = "standard"):
    product_class, _ = ProductClass.objects.get_or_create(
        name=f"Test {vat_category}", defaults={"vat_category": vat_category, "track_stock": True}
    )
    partner, _ = Partner.objects.get_or_create(name="Test warehouse")
    product = Product.objects.create(title=title, product_class=product_class, is_public=True)
    StockRecord.objects.create(
        product=product, partner=partner, partner_sku=f"SKU-{product.pk}", price=Decimal(price), num_in_stock=stock
    )
    return product


def basket_with(product, quantity: int = 1, owner=None):
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    return basket


def dutch_address():
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="NL",
        defaults={"name": "Netherlands", "printable_name": "Netherlands", "is_shipping_country": True},
    )
    return ShippingAddress(
        first_name="Anna",
        last_name="de Vries",
        line1="Damrak 1",
        line4="Amsterdam",
        postcode="1012 LG",
        country=country,
    )


def place_pending(basket, *, user=None, email: str | None = None):
    """What the place-order view does with a checkout's submission; a new guest's email for each basket
    unless `email` is given (one address may have only SHOP_UNPAID_ORDERS_PER_EMAIL orders unpaid)."""
    email = email or f"buyer-{basket.pk}@example.com"
    basket = Basket.objects.get(pk=basket.pk)
    basket.strategy = Selector().strategy()
    charge = Free().calculate(basket)
    return order_place_pending(
        basket=basket,
        user=user or AnonymousUser(),
        shipping_address=dutch_address(),
        shipping_method=Free(),
        shipping_charge=charge,
        order_total=OrderTotalCalculator().calculate(basket, charge),
        guest_email=email,
    )


GUEST_EMAIL = "guest@example.com"
# The Dutch form's fields (shop/addresses/formats.py): postcode and house number first, then street and city.
ADDRESS = {
    "first_name": "Anna",
    "last_name": "de Vries",
    "country": "NL",
    "postcode": "1012 LG",
    "house_number": "1",
    "street": "Damrak",
    "line4": "Amsterdam",
    "phone_number": "+31 20 123 4567",
}


def checkout_to_preview(
    client, product=None, *, quantity: int = 1, method: str | None = "ideal", guest_email=GUEST_EMAIL
):
    """Walk the checkout pages as a shopper does, up to the preview; return the preview response.

    `product` is added to the basket first (None: the basket is ready); `method` None skips the
    payment step (an order with nothing to pay)."""
    if product is not None:
        response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
        assert response.status_code == 302, response.content[:300]
    if guest_email:
        response = client.post("/shop/checkout/", {"username": guest_email, "options": "anonymous"})
        assert response.status_code == 302, response.content[:500]
    response = client.post("/shop/checkout/shipping-address/", ADDRESS)
    assert response.status_code == 302, response.content[:1000]
    response = client.get("/shop/checkout/shipping-method/")
    if response.status_code == 200:  # several methods to choose from: take the first (cheapest)
        code = response.context["methods"][0].code
        response = client.post("/shop/checkout/shipping-method/", {"method_code": code})
    assert response.status_code == 302, response.content[:500]
    if method is not None:
        response = client.post("/shop/checkout/payment-method/", {"method": method})
        assert response.status_code == 302, response.content[:1000]
    return client.get("/shop/checkout/preview/")


def place_order(client, **kwargs):
    return client.post("/shop/checkout/preview/", {"action": "place_order", "accept_terms": "1"}, **kwargs)


def voucher(code: str, percent: str):
    """A voucher for `percent` off every product (Oscar's range, condition, benefit and offer)."""
    from datetime import timedelta

    from django.utils import timezone

    Range = get_model("offer", "Range")
    Condition = get_model("offer", "Condition")
    Benefit = get_model("offer", "Benefit")
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Voucher = get_model("voucher", "Voucher")

    everything = Range.objects.create(name=f"Everything {code}", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name=f"Voucher {code}",
        offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=Decimal(percent)),
    )
    now = timezone.now()
    created = Voucher.objects.create(
        name=code, code=code, start_datetime=now - timedelta(days=1), end_datetime=now + timedelta(days=30)
    )
    created.offers.add(offer)
    return created


def pay_at_mollie(checkout_url: str, status: str = "paid", method: str | None = None) -> str:
    """The shopper's browser at Mollie's hosted checkout: choose an outcome, follow the redirect back.
    Returns the path of the shop's return page."""
    import requests

    data = {"status": status, **({"method": method} if method else {})}
    response = requests.post(checkout_url, data=data, allow_redirects=False, timeout=10)
    assert response.status_code == 303, response.text[:300]
    return urlsplit(response.headers["Location"]).path


def webhook(client, mollie_id: str, **extra):
    """Mollie calling the shop's webhook (`extra`: request headers, as the test client takes them)."""
    return client.post("/payments/mollie/webhook/", {"id": mollie_id}, **extra)
