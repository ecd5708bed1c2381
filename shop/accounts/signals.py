"""Bridge allauth's account events to Oscar and to the shop's orders."""

from allauth.account.signals import email_confirmed, user_signed_up
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from oscar.apps.customer.signals import user_registered

from shop.orders.services import guest_orders_attach

from .devices import sign_in_device_note


@receiver(user_signed_up)
def announce_registration_to_oscar(sender, request, user, **kwargs):
    # Oscar's offers and analytics listen to user_registered; allauth never sends it.
    user_registered.send(sender=sender, request=request, user=user)


@receiver(email_confirmed)
def attach_guest_orders(sender, request, email_address, **kwargs):
    # The address is now proven to be theirs: what was bought as a guest with it shows in their account.
    guest_orders_attach(user=email_address.user, email=email_address.email)


@receiver(user_logged_in)
def note_the_device(sender, request, user, **kwargs):
    sign_in_device_note(request, user)
