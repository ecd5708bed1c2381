"""Devices people sign in from: said the way a person recognises their own ("Firefox on Linux"), and a
sign-in from one the account has not used before is emailed to its owner."""

from allauth.account.adapter import get_adapter
from django.utils.translation import gettext as _
from ua_parser import parse

from .models import SignInDevice


def device_label(user_agent: str) -> str:
    parsed = parse(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent else None
    system = parsed.os.family if parsed.os else None
    device = parsed.device.family if parsed.device and parsed.device.family not in ("Other", "Generic") else None
    if not browser:
        return _("Unknown browser")
    label = _("%(browser)s on %(system)s") % {"browser": browser, "system": system} if system else browser
    return f"{label} ({device})" if device and device != system else label


def sign_in_device_note(request, user) -> bool:
    """Remember the device of this sign-in; email the owner if the account knew other devices but not this
    one (the very first sign-in is no news). True if the owner was told."""
    label = device_label(request.META.get("HTTP_USER_AGENT", ""))[:200]
    device, created = SignInDevice.objects.get_or_create(user=user, label=label)
    if not created:
        device.save(update_fields=["last_seen_at"])
        return False
    if not SignInDevice.objects.filter(user=user).exclude(pk=device.pk).exists():
        return False
    get_adapter(request).send_notification_mail("account/email/new_sign_in", user)
    return True
