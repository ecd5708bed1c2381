from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from shop.branding.name import shop_name
from shop.http.clients import client_address
from shop.http.links import absolute_url

from .audit import audit_event
from .devices import device_label


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
            audit_event("sign-in-locked-out", request, login=credentials.get("email", "-"))
            raise

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # Name the device the change came from as its owner knows it, beside the raw User-Agent.
        user_agent = self.get_http_user_agent(self.request) if self.request else ""
        context = {
            "device": device_label(user_agent),
            "password_reset_url": absolute_url(reverse("account_reset_password")),
            "sessions_url": absolute_url(reverse("usersessions_list")),
            **(context or {}),
        }
        super().send_notification_mail(template_prefix, user, context, email)

    def render_mail(self, template_prefix, email, context, headers=None):
        # allauth renders without the request (no context processors): the shop's name is given here.
        context = {"shop_name": shop_name(self.request), **context}
        message = super().render_mail(template_prefix, email, context, headers)
        if not getattr(message, "alternatives", None):
            # Every allauth email also goes out as HTML in the shop's email layout, links clickable.
            html = render_to_string("emails/account_message.html", {"subject": message.subject, "body": message.body})
            message = EmailMultiAlternatives(
                message.subject, message.body, message.from_email, message.to, headers=headers
            )
            message.attach_alternative(html, "text/html")
        return message

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
