"""Django admin: superusers only, and read-only wherever money, stock or an order's state lives.

Django lets every active `is_staff` user into its admin, and Oscar registers its order admin with
editable statuses: a fulfilment user could save an unpaid order as "Paid". Staff work in Oscar's
dashboard, whose views ask a permission per action and go through the shop's services. The admin is
the superusers' tool for the rest (outbox, outgoing emails, users, social applications), and even
they only read orders, payments, baskets and stock there, because a bare edit would skip the
services that keep statuses, payments, allocations and vouchers consistent.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from shop.observability.security import security_event

# Apps whose models the admin shows but never changes.
READ_ONLY_APPS = frozenset({"order", "payment", "basket", "partner", "voucher", "offer", "payments", "receipts"})


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        allowed = request.user.is_active and request.user.is_superuser
        # Asked several times per page: a signed-in user turned away is one security event per request.
        if not allowed and request.user.is_authenticated and not getattr(request, "_admin_refusal_logged", False):
            request._admin_refusal_logged = True
            security_event("admin refused", reason="not a superuser", path=request.path)
        return allowed


class ReadOnlyAdminMixin:
    """The model's rows can be looked at (a superuser investigating), never added, edited or deleted."""

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def read_only_registrations_lock(site: admin.AdminSite) -> list[str]:
    """Swap each registered model admin of READ_ONLY_APPS (and its inlines) for a read-only one."""
    locked = []
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label not in READ_ONLY_APPS:
            continue
        admin_class = type(model_admin)
        attrs = {"inlines": [_read_only(inline) for inline in admin_class.inlines]}
        site.unregister(model)
        site.register(model, _read_only(admin_class, attrs))
        locked.append(model._meta.label)
    return locked


def _read_only(admin_class, attrs=None):
    return type(f"ReadOnly{admin_class.__name__}", (ReadOnlyAdminMixin, admin_class), attrs or {})


class ShopAdminConfig(AdminConfig):
    default_site = "shop.accounts.admin_site.SuperuserAdminSite"

    def ready(self):
        super().ready()  # autodiscovers every app's admin.py
        read_only_registrations_lock(admin.site)
