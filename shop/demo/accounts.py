"""Demo logins, one per role, with verified email addresses (allauth requires it)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from shop.accounts.roles import CATALOGUE_MANAGERS, CUSTOMER_SERVICE, FULFILMENT, MERCHANDISERS, SHOP_STAFF

DEMO_PASSWORD = "demo-shop-2026"  # nosec B105  # the demo accounts' published password (README)
DEMO_ACCOUNTS = [
    # email, role, is_staff, is_superuser, group
    ("shopper@example.com", "Shopper", False, False, None),
    ("merchandiser@example.com", "Merchandiser (Wagtail editor at /cms/)", False, False, MERCHANDISERS),
    ("staff@example.com", "Staff (Oscar dashboard at /shop/dashboard/)", True, False, SHOP_STAFF),
    ("fulfilment@example.com", "Fulfilment (ships parcels, moves orders)", True, False, FULFILMENT),
    ("service@example.com", "Customer service (orders, notes, refunds)", True, False, CUSTOMER_SERVICE),
    ("catalogue@example.com", "Catalogue manager (products, prices, stock)", True, False, CATALOGUE_MANAGERS),
    ("admin@example.com", "Superuser (everything)", True, True, None),
]


def demo_accounts_ensure() -> list[tuple[str, str]]:
    """Create the demo users once; return (email, role) pairs to print."""
    User = get_user_model()
    for email, role, is_staff, is_superuser, group_name in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"is_staff": is_staff, "is_superuser": is_superuser, "first_name": role.split()[0]},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return [(email, role) for email, role, *_ in DEMO_ACCOUNTS]
