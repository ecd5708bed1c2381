"""Two-factor sign-in (allauth.mfa, TOTP with recovery codes): any user may turn it on; staff-like users
must have it (the rule and where it applies: staff_policy.py)."""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from shop.branding.name import shop_name

from .staff_policy import second_factor_required


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Staff may replace nothing by nothing: their authenticator app stays until their role goes.
        required = authenticator.type == Authenticator.Type.TOTP and second_factor_required(authenticator.user)
        return not required and super().can_delete_authenticator(authenticator)

    def get_totp_issuer(self) -> str:
        # What the authenticator app names the account after: the shop's name as editors set it (allauth would
        # read MFA_TOTP_ISSUER, a setting, or Django's Site name).
        return shop_name(self.request)
