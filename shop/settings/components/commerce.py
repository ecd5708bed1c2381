"""Commerce: Oscar, money and VAT, the shop's name and seller, basket and order limits, orders and payments
(Mollie), shipments and carriers, and the anonymous page cache."""

from decimal import Decimal

from oscar.defaults import OSCAR_DASHBOARD_NAVIGATION

from .environment import env

# --- Money, the shop and its catalogue ---------------------------------------
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_CURRENCY_FORMAT = {"EUR": {"currency_digits": True, "format_type": "standard"}}
# Shelf prices include VAT. A product class names its VAT category; the rate of
# each category lives here because the law changes rates, not the catalogue.
# Offers and vouchers discount the gross (shelf) price; Oscar's default (net) would take
# 10 % of the net price and then gross it up, giving more than 10 % off.
OSCAR_OFFERS_INCL_TAX = True
SHOP_VAT_RATES = {
    "standard": Decimal("0.21"),
    "reduced": Decimal("0.09"),
    "zero": Decimal("0.00"),
}
# Delivery charges are gross, taxed at this category's rate; without an address
# the basket estimates delivery to the shop's home country.
SHOP_SHIPPING_VAT_CATEGORY = "standard"
# The shop's own country (ISO 3166-1 alpha-2): first in every country list and chosen there until the shopper
# chooses another, where delivery is estimated before there is an address, and where payment methods are asked for.
SHOP_COUNTRY = "NL"
# Which address fields a country has and requires is the country's (shop/addresses/formats.py): Oscar requires
# only these of every address, and no postcode where the country has none (Ireland's Eircode is optional).
OSCAR_REQUIRED_ADDRESS_FIELDS = ["first_name", "last_name", "line1", "line4", "country"]
SHOP_NAME = env("SHOP_NAME", default="Django Shop")
# Who issues receipts: printed on every receipt and credit note.
SHOP_SELLER = {
    "name": env("SHOP_SELLER_NAME", default=SHOP_NAME),
    "address": env("SHOP_SELLER_ADDRESS", default="Damrak 1\n1012 LG Amsterdam\nNetherlands"),
    "vat_id": env("SHOP_SELLER_VAT_ID", default="NL000099998B57"),
    "chamber_of_commerce": env("SHOP_SELLER_COC", default="00000000"),
    "email": env("DEFAULT_FROM_EMAIL", default="shop@example.com"),
}
OSCAR_SHOP_TAGLINE = ""
OSCAR_HOMEPAGE = "/"
OSCAR_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shop@example.com")
OSCAR_SEND_REGISTRATION_EMAIL = False  # allauth's sign-up email is the welcome
OSCAR_ALLOW_ANON_CHECKOUT = True
# A guest may use an email that has an account: the checkout never says whether one exists.
OSCAR_ALLOW_GUEST_CHECKOUT_WITH_ACCOUNT = True
OSCAR_ACCOUNTS_REDIRECT_URL = "customer:profile-view"
OSCAR_PRODUCTS_PER_PAGE = 24
# Most items one basket may hold (a shop this size ships parcels, not pallets).
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = env.int("SHOP_MAX_BASKET_ITEMS", default=50)
# Most units of one product in one order: each unpaid order holds its stock, so no single order may
# take a whole shelf. Checked when adding to or changing the basket, and again when the order is placed.
SHOP_MAX_LINE_QUANTITY = env.int("SHOP_MAX_LINE_QUANTITY", default=10)
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
# Wagtail is the one content system: Oscar's dashboard "Pages" (flatpages) is gone from the menu and its URLs
# answer 404 (shop/urls.py). The flatpages app stays installed only because Oscar's migrations depend on it.
OSCAR_DASHBOARD_NAVIGATION = [
    {**section, "children": [item for item in section["children"] if item.get("url_name") != "dashboard:page-list"]}
    if "children" in section
    else section
    for section in OSCAR_DASHBOARD_NAVIGATION  # Oscar's default (oscar.defaults)
]

# Anonymous product and category pages are cached whole (shop/pagecache): purged at once when what they show
# changes; this is only the longest any copy is kept.
SHOP_PAGE_CACHE_SECONDS = env.int("SHOP_PAGE_CACHE_SECONDS", default=60 * 60)

# --- Orders and payments -------------------------------------------------------
# An order exists before the shopper pays: it waits in "Pending payment" with its
# stock allocated, and the payment (webhook, return page or reconciliation) moves it on.
# Staff may only make the moves listed here; payments move orders through services, and an
# unpaid order is canceled with the dashboard's "Cancel unpaid order" (which also cancels its
# payments at Mollie and releases its stock), never by a bare status change. Orders ship through
# shipments (carrier, tracking number, lines), never by a bare status change either; after that the
# carrier's tracking moves them, and staff may mark an order delivered when the carrier says nothing.
OSCAR_INITIAL_ORDER_STATUS = "Pending payment"
OSCAR_INITIAL_LINE_STATUS = "Pending payment"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending payment": (),
    "Authorized": ("Processing",),
    "Paid": ("Processing",),
    "Processing": (),
    "Partially shipped": (),
    "Shipped": ("Delivered",),
    "Out for delivery": ("Delivered",),
    "Delivery problem": ("Shipped", "Delivered"),
    "Delivered": (),
    "Canceled": (),
    "Refunded": (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE}

# The dev default is a test key for the local Mollie simulator; MOLLIE_API_ENDPOINT
# points the real client at another base URL (dev.py: the simulator's). A real key and no endpoint
# means the real Mollie.
MOLLIE_API_KEY = env("MOLLIE_API_KEY", default="test_simulator000000000000000000")
MOLLIE_API_ENDPOINT = env("MOLLIE_API_ENDPOINT", default="")
# Mollie's payment methods for an amount and country change rarely: cache the list briefly.
MOLLIE_METHODS_CACHE_SECONDS = env.int("MOLLIE_METHODS_CACHE_SECONDS", default=300)
# How long an order may wait for a successful payment before it is canceled and its
# stock released, per Mollie method, in minutes. A bank transfer holds its stock while it is
# awaited: five days cover a SEPA transfer made over a weekend (one working day in the EU) and
# Mollie matching it, without letting an unpaid order take stock off sale for weeks. Mollie is
# told the same deadline (the payment's dueDate), so the transfer cannot be paid after it.
SHOP_PAYMENT_TIMEOUT_MINUTES = env.int("SHOP_PAYMENT_TIMEOUT_MINUTES", default=120)
SHOP_BANKTRANSFER_TIMEOUT_MINUTES = env.int("SHOP_BANKTRANSFER_TIMEOUT_MINUTES", default=5 * 24 * 60)
# A payment still open this long after its last check is fetched again from Mollie
# (a shopper who paid in a banking app and never came back still gets the order).
SHOP_PAYMENT_RECONCILE_AFTER_MINUTES = env.int("SHOP_PAYMENT_RECONCILE_AFTER_MINUTES", default=10)
# Mollie's webhook: deliveries one payment id may make per minute before it is told to retry later (429).
# Mollie sends one per change and retries failures minutes to hours apart; repeats while a sync is queued
# are coalesced, and every sync fetches the whole state, so a flood of one id delays nothing it carries.
SHOP_MOLLIE_WEBHOOK_RATE = env.int("SHOP_MOLLIE_WEBHOOK_RATE", default=10)

# --- Shipments and carriers -----------------------------------------------------
# Each carrier's tracking API and the secret that authenticates its pushes to
# /fulfilment/carriers/<code>/push/. The defaults point at the carrier simulator that dev's
# runserver starts (shop/devtools/carriers, listening at CARRIER_SIMULATOR_URL); production sets
# real URLs and keys.
CARRIER_SIMULATOR_URL = env("CARRIER_SIMULATOR_URL", default="http://127.0.0.1:8002")
SHOP_CARRIERS = {
    "postnl": {
        "API_URL": env("POSTNL_API_URL", default=f"{CARRIER_SIMULATOR_URL}/postnl"),
        "API_KEY": env("POSTNL_API_KEY", default="simulator-postnl-key"),
        "PUSH_SECRET": env("POSTNL_PUSH_SECRET", default="simulator-postnl-push-secret"),
    },
    "dhl": {
        "API_URL": env("DHL_API_URL", default=f"{CARRIER_SIMULATOR_URL}/dhl"),
        "API_KEY": env("DHL_API_KEY", default="simulator-dhl-key"),
        "PUSH_SECRET": env("DHL_PUSH_SECRET", default="simulator-dhl-push-secret"),
    },
}
# Open shipments are polled this often (minutes) by the `tracking` queue; pushes arrive in between.
SHOP_TRACKING_POLL_MINUTES = env.int("SHOP_TRACKING_POLL_MINUTES", default=30)
# Parcels shipped longer ago than this are no longer polled (lost, returned or a mistyped number).
SHOP_TRACKING_GIVE_UP_DAYS = env.int("SHOP_TRACKING_GIVE_UP_DAYS", default=30)
# Working days from order to doorstep per delivery method code (the codes bootstrap_shop creates):
# the confirmation shows the window. A method missing here shows no window.
SHOP_DELIVERY_WORKING_DAYS = {
    "standard-nl": (1, 2),
    "express-nl": (1, 1),
    "standard-eu": (2, 5),
    "express-eu": (1, 2),
}
