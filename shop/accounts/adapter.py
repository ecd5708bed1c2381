from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError

from shop.core.clients import client_address
from shop.core.links import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    """allauth, fitted to the shop: links in emails use the public base URL."""

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return absolute_url(super().get_reset_password_from_key_url(key))

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failed sign-ins for this address or from this client: allauth refuses, we note it.
            from .audit import audit_event

            audit_event("sign-in-locked-out", request, login=credentials.get("email", "-"))
            raise

    def get_client_ip(self, request):
        # allauth's rate limits count per client address: the shop's one rule decides it.
        return client_address(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social sign-in, fitted to the shop.

    A provider saying an email is verified is not proof that this person owns the shop account with that
    address (any OpenID Connect server an admin adds can say it of anyone's address). So a social login never
    signs into an existing account by email, whatever SOCIALACCOUNT_EMAIL_AUTHENTICATION or a provider app's
    "email_authentication" setting say: the owner signs in as before and connects the provider themselves.
    """

    def can_authenticate_by_email(self, login, email):
        return False
