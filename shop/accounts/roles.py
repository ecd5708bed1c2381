"""Staff roles: the groups staff belong to and what each may do (`bootstrap_shop` creates them)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

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
