"""A copy of everything the shop keeps about a customer, for them to download (GDPR article 15/20)."""

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.utils import timezone
from oscar.core.loading import get_model

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")


def personal_data_export(user) -> dict:
    """Plain JSON-ready data; secrets (password hash, authenticator secrets, tokens) are never included."""
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone_number": str(user.phone_number or ""),
            "delivery_updates_by_email": user.delivery_updates_by_email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
        "addresses": [_address(a) for a in UserAddress.objects.filter(user=user).select_related("country")],
        "orders": [_order(o) for o in _orders(user)],
        "social_logins": [
            {"provider": s.provider, "uid": s.uid, "connected_at": s.date_joined.isoformat()}
            for s in SocialAccount.objects.filter(user=user)
        ],
        "second_factors": [
            {"type": a.type, "created_at": a.created_at.isoformat()} for a in Authenticator.objects.filter(user=user)
        ],
        "sessions": [_session(s) for s in UserSession.objects.filter(user=user)],
        "sign_in_devices": list(user.sign_in_devices.values("label", "first_seen_at", "last_seen_at")),
    }


def _orders(user):
    return (
        Order.objects.filter(user=user)
        .select_related("shipping_address__country", "billing_address__country")
        .prefetch_related("lines")
        .order_by("-date_placed")
    )


def _order(order) -> dict:
    return {
        "number": order.number,
        "placed": order.date_placed.isoformat(),
        "status": order.status,
        "currency": order.currency,
        "total_incl_tax": str(order.total_incl_tax),
        "lines": [
            {"title": line.title, "quantity": line.quantity, "price_incl_tax": str(line.line_price_incl_tax)}
            for line in order.lines.all()
        ],
        "shipping_address": _address(order.shipping_address) if order.shipping_address else None,
        "billing_address": _address(order.billing_address) if order.billing_address else None,
    }


def _address(address) -> dict:
    return {
        "name": address.name,
        "lines": [line for line in (address.line1, address.line2, address.line3) if line],
        "city": address.line4,
        "postcode": address.postcode,
        "country": address.country.printable_name,
        "phone_number": str(getattr(address, "phone_number", "") or ""),
    }


def _session(session) -> dict:
    last_seen = session.last_seen_at.isoformat() if session.last_seen_at else None
    return {
        "ip": session.ip,
        "browser": session.user_agent,
        "started": session.created_at.isoformat(),
        "last_seen": last_seen,
    }
