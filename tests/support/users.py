import re
import time

import time_machine
from django.core.cache import cache

from shop.demo.accounts import DEMO_PASSWORD

# Staff made by these helpers share one authenticator-app secret, so a test can always type the code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def login(client, email: str) -> None:
    """Log in through allauth's own form, as a person would, typing the authenticator code when asked."""
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    if response["Location"].startswith("/accounts/2fa/authenticate/"):
        from django.contrib.auth import get_user_model

        with a_fresh_totp_period():
            code = totp_code()
            # allauth takes each code once per period; a test may sign the same person in twice.
            user_id = get_user_model().objects.get(email=email).pk
            cache.delete(f"allauth.mfa.totp.used?user={user_id}&code={code}")
            response = client.post("/accounts/2fa/authenticate/", {"code": code})
        assert response.status_code == 302, response.content[:500]


def a_fresh_totp_period():
    """Move the clock to the start of the next 30-second code period, where it keeps running: a code read and typed
    inside the block cannot expire in between, as it could on a real clock near a period's end."""
    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    return time_machine.travel((int(time.time()) // period + 1) * period + 0.5, tick=True)


def totp_code(secret: str = TOTP_SECRET) -> str:
    """What the authenticator app shows now."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def with_totp(user, secret: str = TOTP_SECRET):
    """Give `user` an authenticator app (allauth's TOTP) with the shared test secret, in place of any before."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    return user


def user_with_login(email: str, *, is_staff: bool = False, permissions: tuple[str, ...] = (), totp=None):
    """A user who can log in through allauth (verified email, the demo password), with optional permissions.
    Staff get an authenticator app unless `totp=False`; anyone gets one with `totp=True`."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(email=email, password=DEMO_PASSWORD)
    if is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    if totp if totp is not None else is_staff:
        with_totp(user)
    return user


def ask_for_a_new_address(browser, new_address: str, password: str = DEMO_PASSWORD):
    """The email page: allauth wants the password again, then sends the new address a link."""
    response = browser.post("/accounts/email/", {"email": new_address, "action_add": ""})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    return browser.post(response["Location"], {"password": password}, follow=True)


def link_sent_to(address: str) -> str:
    """The confirmation link in the latest email to `address`, as a path."""
    from shop.notifications.models import OutgoingEmail

    body = OutgoingEmail.objects.filter(to=[address]).latest("pk").body
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", body).group(1)
