"""Two-factor sign-in (allauth.mfa, TOTP with recovery codes): any user may turn it on; staff and
editors must have it before the dashboard, the CMS or Django's admin will open for them."""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Where staff work: every URL below these needs a second factor.
STAFF_AREAS = ("/shop/dashboard/", "/cms/", "/django-admin/")


def mfa_required(user) -> bool:
    """Staff, superusers and anyone who may open the Wagtail editor must use a second factor."""
    if not settings.SHOP_STAFF_MFA_REQUIRED:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def totp_enabled(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Staff may replace nothing by nothing: their authenticator app stays until their role goes.
        required = authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user)
        return not required and super().can_delete_authenticator(authenticator)


class StaffMFAMiddleware:
    """Sends a signed-in staff member without an authenticator app to set one up, from every staff URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(STAFF_AREAS)
            and user is not None
            and user.is_authenticated
            and mfa_required(user)
            and not totp_enabled(user)
        ):
            messages.warning(
                request,
                _("Staff accounts sign in with a second factor. Set up your authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
