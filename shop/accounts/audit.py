"""The account audit trail: sign-ins, failures, lockouts, password, email and second-factor changes.

One line each on the `shop.audit` logger, with the user, the client's address (the shop's one rule) and,
like every line, the request id. Secrets never appear; a failed sign-in names the address typed (masked,
as every address in the logs, to its first letter and domain). Each line has the category "audit", or
"security" for a failed or refused sign-in or second factor.
"""

import logging

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.socialaccount import signals as social_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from shop.http.clients import client_address
from shop.observability.security import SECURITY

audit = logging.getLogger("shop.audit")

SECURITY_EVENTS = frozenset({"sign-in-failed", "sign-in-locked-out", "second-factor-failed"})


def audit_event(event: str, request, user=None, **details) -> None:
    fields = {"user": getattr(user, "pk", None) or "-", "ip": client_address(request) if request else "-", **details}
    category = SECURITY if event in SECURITY_EVENTS else "audit"
    level = logging.WARNING if category == SECURITY else logging.INFO
    line = " ".join(f"{name}={value}" for name, value in fields.items())
    audit.log(level, "%s %s", event, line, extra={"category": category})


@receiver(auth_signals.user_logged_in)
def signed_in(sender, request, user, **kwargs):
    audit_event("sign-in", request, user)


@receiver(auth_signals.user_logged_out)
def signed_out(sender, request, user, **kwargs):
    audit_event("sign-out", request, user)


@receiver(auth_signals.user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    audit_event("sign-in-failed", request, login=credentials.get("email") or credentials.get("username") or "-")


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def password_changed(sender, request, user, **kwargs):
    audit_event("password-changed", request, user)


@receiver(account_signals.password_reset)
def password_reset(sender, request, user, **kwargs):
    audit_event("password-reset", request, user)


@receiver(account_signals.email_changed)
def email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    audit_event(
        "email-changed", request, user, old=getattr(from_email_address, "email", "-"), new=to_email_address.email
    )


@receiver(mfa_signals.authenticator_added)
def second_factor_added(sender, request, user, authenticator, **kwargs):
    audit_event("second-factor-added", request, user, type=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def second_factor_removed(sender, request, user, authenticator, **kwargs):
    audit_event("second-factor-removed", request, user, type=authenticator.type)


@receiver(mfa_signals.authentication_failed)
def second_factor_failed(sender, request, user, **kwargs):
    audit_event("second-factor-failed", request, user)


@receiver(social_signals.social_account_added)
def social_account_connected(sender, request, sociallogin, **kwargs):
    audit_event("social-connected", request, sociallogin.user, provider=sociallogin.account.provider)
