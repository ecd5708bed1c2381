"""The staff policy: who is staff-like, what that asks of them, and where it applies.

One rule decides who is staff-like: anyone who can open the dashboard, the CMS or Django's admin
(`is_staff`, `is_superuser`, or Wagtail's `wagtailadmin.access_admin`, which merchandisers hold without
`is_staff`). A staff-like user

- must use a second factor (SHOP_STAFF_MFA_REQUIRED): until they have set up an authenticator app the
  staff areas send them to do so, and no staff privilege outside those areas works for them
  (`staff_access_granted`: every view outside the staff areas that shows staff customer data asks it);
- is signed out after SHOP_STAFF_IDLE_MINUTES without a request of their own, wherever they are.
"""

from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.http.areas import STAFF_AREAS  # every URL below these needs a second factor
from shop.observability.security import security_event

from .audit import audit_event

# Requests a browser makes by itself: Wagtail's editor pings these every few seconds while a tab is open,
# so they must not count as the person being there.
BACKGROUND_VIEWS = frozenset({"wagtailadmin_editing_sessions:ping", "wagtailadmin_editing_sessions:release"})

LAST_ACTIVITY_KEY = "shop_staff_last_activity"


def is_staff_like(user) -> bool:
    """Dashboard, CMS or admin access: the one test of who is staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def second_factor_required(user) -> bool:
    return settings.SHOP_STAFF_MFA_REQUIRED and is_staff_like(user)


def totp_enabled(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_missing(user) -> bool:
    return second_factor_required(user) and not totp_enabled(user)


def staff_access_granted(user) -> bool:
    """Whether `user` may use staff privileges now: staff-like, with the second factor the policy asks."""
    return is_staff_like(user) and not second_factor_missing(user)


def in_staff_area(request) -> bool:
    # path_info, not path: path carries SCRIPT_NAME, so a prefix would hide the staff area from the test.
    return request.path_info.startswith(STAFF_AREAS)


def is_background_request(request) -> bool:
    try:
        return resolve(request.path_info).view_name in BACKGROUND_VIEWS
    except Resolver404:
        return False


class StaffSecondFactorMiddleware:
    """Sends a signed-in staff-like user without an authenticator app to set one up, from every staff URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if in_staff_area(request) and second_factor_missing(user):
            security_event("staff area refused", reason="no second factor", path=request.path)
            messages.warning(
                request,
                _("Staff accounts sign in with a second factor. Set up your authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """A staff-like user's session ends after SHOP_STAFF_IDLE_MINUTES without a request of their own, "keep me
    signed in" or not: a dashboard or editor left open on a shared computer does not stay signed in.

    The idle period counts from the last request the person made (kept in the session), not from background
    requests such as the editor's ping, which would otherwise keep an open tab signed in for ever."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if is_staff_like(user):
            self.check_idle(request, user)
        return self.get_response(request)

    @staticmethod
    def check_idle(request, user) -> None:
        idle = timedelta(minutes=settings.SHOP_STAFF_IDLE_MINUTES)
        now = timezone.now().timestamp()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > idle.total_seconds():
            audit_event("sign-out-idle", request, user)
            logout(request)  # the request goes on anonymous: a staff page sends it to sign in
            return
        if last is None or not is_background_request(request):
            request.session[LAST_ACTIVITY_KEY] = now
            # The stored session ends too, should this middleware not see the next request.
            request.session.set_expiry(int(idle.total_seconds()))
