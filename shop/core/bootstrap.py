"""Reference data production needs, created idempotently (`manage.py bootstrap_shop`)."""

from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.db.models import Q
from oscar.core.loading import get_model

Country = get_model("address", "Country")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")

# Where the shop delivers by default: the EU member states.
EU_COUNTRIES = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()

MERCHANDISERS = "Merchandisers"
SHOP_STAFF = "Shop staff"
FULFILMENT = "Fulfilment"
CUSTOMER_SERVICE = "Customer service"
CATALOGUE_MANAGERS = "Catalogue managers"

# codenames per app label; pages, images and documents are granted per page and collection (cms/bootstrap.py)
MERCHANDISER_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    # Site settings; product content (a snippet): write, publish or schedule, lock while editing.
    "cms": ["change_shopsettings"]
    + ["add_productcontent", "change_productcontent", "delete_productcontent"]
    + ["publish_productcontent", "lock_productcontent", "unlock_productcontent"],
}
STAFF_PERMISSION_APPS = ["order", "partner", "catalogue", "offer", "voucher", "shipping", "payment"]
# Refunds move money back: a permission of its own, which Shop staff hold (give it to fewer if you like).
REFUND_PERMISSION = ("shop_payments", "add_refund")
# Shipping a parcel consumes stock and emails the customer: a permission of its own too.
SHIP_PERMISSION = ("shop_fulfilment", "add_shipment")


def countries_ensure() -> int:
    """Load ISO countries once; the EU member states are the shipping countries."""
    if not Country.objects.exists():
        call_command("oscar_populate_countries", "--no-shipping", verbosity=0)
    return Country.objects.filter(iso_3166_1_a2__in=EU_COUNTRIES).update(is_shipping_country=True)


# Staff roles: each member also needs is_staff to enter the dashboard; the group decides what they may do there.
ROLE_PERMISSIONS = {
    # Ship parcels, move orders along, write notes.
    FULFILMENT: [
        ("order", "view_order"),
        ("order", "change_order"),
        ("order", "add_ordernote"),
        ("order", "add_communicationevent"),  # send an order's email again
        ("shop_fulfilment", "add_shipment"),
        ("shop_fulfilment", "view_shipment"),
    ],
    # See orders, write notes, refund. (Not accounts.view_user: Oscar's user list lets it deactivate users.)
    CUSTOMER_SERVICE: [
        ("order", "view_order"),
        ("order", "add_ordernote"),
        ("order", "add_communicationevent"),
        ("shop_payments", "add_refund"),
    ],
}
# Catalogue managers edit products, prices and stock: every permission of these apps.
CATALOGUE_MANAGER_APPS = ["catalogue", "partner"]


def _permissions(pairs):
    query = Q(pk__in=[])
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def groups_ensure() -> dict[str, Group]:
    merchandisers, _ = Group.objects.get_or_create(name=MERCHANDISERS)
    for app_label, codenames in MERCHANDISER_PERMISSIONS.items():
        merchandisers.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    staff, _ = Group.objects.get_or_create(name=SHOP_STAFF)
    staff.permissions.add(*Permission.objects.filter(content_type__app_label__in=STAFF_PERMISSION_APPS))
    staff.permissions.add(*_permissions([REFUND_PERMISSION, SHIP_PERMISSION]))
    groups = {MERCHANDISERS: merchandisers, SHOP_STAFF: staff}
    for name, pairs in ROLE_PERMISSIONS.items():
        groups[name], _ = Group.objects.get_or_create(name=name)
        groups[name].permissions.set(_permissions(pairs))  # a role is exactly its list
    groups[CATALOGUE_MANAGERS], _ = Group.objects.get_or_create(name=CATALOGUE_MANAGERS)
    # Not partner.dashboard_access: that one lets partner users see their partner's orders.
    groups[CATALOGUE_MANAGERS].permissions.add(
        *Permission.objects.filter(content_type__app_label__in=CATALOGUE_MANAGER_APPS).exclude(
            codename="dashboard_access"
        )
    )
    return groups


def django_site_ensure() -> Site:
    """Django's Site (used by allauth outside requests) names the public host."""
    host = urlsplit(settings.SHOP_BASE_URL).netloc
    site, _ = Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": host, "name": settings.SHOP_NAME})
    return site


# code, name, description, charge per order, free from (gross), countries (empty: every shipping country)
SHIPPING_METHODS = [
    ("standard-nl", "Standard delivery", "1–2 working days with PostNL. Free from €50.", "4.95", "50.00", ["NL"]),
    ("express-nl", "Express delivery", "Next working day, ordered before 22:00.", "9.95", None, ["NL"]),
    ("standard-eu", "Standard delivery (EU)", "2–5 working days. Free from €100.", "9.95", "100.00", []),
    ("express-eu", "Express delivery (EU)", "1–2 working days.", "19.95", None, []),
]


def shipping_methods_ensure() -> int:
    """The delivery methods, created once: staff edit prices and thresholds in the dashboard later."""
    created = 0
    for code, name, description, charge, free_from, countries in SHIPPING_METHODS:
        method, was_created = OrderAndItemCharges.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "price_per_order": Decimal(charge),
                "free_shipping_threshold": Decimal(free_from) if free_from else None,
            },
        )
        if was_created:
            created += 1
            if countries:
                method.countries.set(Country.objects.filter(iso_3166_1_a2__in=countries))
    return created


def reference_data_ensure() -> dict:
    """Everything `bootstrap_shop` creates outside the CMS, in one call for both commands."""
    return {
        "shipping_countries": countries_ensure(),
        "groups": groups_ensure(),
        "new_shipping_methods": shipping_methods_ensure(),
        "site": django_site_ensure(),
    }
