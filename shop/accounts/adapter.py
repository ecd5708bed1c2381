from allauth.account.adapter import DefaultAccountAdapter

from shop.core.links import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    """allauth, fitted to the shop: links in emails use the public base URL."""

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return absolute_url(super().get_reset_password_from_key_url(key))
