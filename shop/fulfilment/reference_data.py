"""Where the shop delivers and how: the shipping countries and delivery methods `bootstrap_shop` creates."""

from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from oscar.core.loading import get_model

Country = get_model("address", "Country")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")

# Where the shop delivers by default: the EU member states.
EU_COUNTRIES = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()


def countries_ensure() -> int:
    """Load ISO countries once; the EU member states are the shipping countries."""
    if not Country.objects.exists():
        call_command("oscar_populate_countries", "--no-shipping", verbosity=0)
    return Country.objects.filter(iso_3166_1_a2__in=EU_COUNTRIES).update(is_shipping_country=True)


# code, name, what to add to the delivery time, charge per order, free from (gross), countries (empty: every
# shipping country). The delivery time itself comes from SHOP_DELIVERY_WORKING_DAYS, the one source that the
# confirmation's expected-delivery window reads too.
SHIPPING_METHODS = [
    ("standard-nl", "Standard delivery", " with PostNL", "4.95", "50.00", ["NL"]),
    ("express-nl", "Express delivery", ", ordered before 22:00", "9.95", None, ["NL"]),
    ("standard-eu", "Standard delivery (EU)", "", "9.95", "100.00", []),
    ("express-eu", "Express delivery (EU)", "", "19.95", None, []),
]


def method_description(code: str, note: str, free_from: str | None) -> str:
    """ "1–2 working days with PostNL. Free from €50." from the method's working days and free threshold."""
    first, last = settings.SHOP_DELIVERY_WORKING_DAYS[code]
    when = "Next working day" if (first, last) == (1, 1) else f"{first}–{last} working days"
    free = f" Free from €{Decimal(free_from):.0f}." if free_from else ""
    return f"{when}{note}.{free}"


def shipping_methods_ensure() -> int:
    """The delivery methods, created once: staff edit prices and thresholds in the dashboard later."""
    created = 0
    for code, name, note, charge, free_from, countries in SHIPPING_METHODS:
        method, was_created = OrderAndItemCharges.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": method_description(code, note, free_from),
                "price_per_order": Decimal(charge),
                "free_shipping_threshold": Decimal(free_from) if free_from else None,
            },
        )
        if was_created:
            created += 1
            if countries:
                method.countries.set(Country.objects.filter(iso_3166_1_a2__in=countries))
    return created
