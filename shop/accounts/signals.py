"""Bridge allauth's sign-up to Oscar, which listens for its own signal."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from oscar.apps.customer.signals import user_registered


@receiver(user_signed_up)
def announce_registration_to_oscar(sender, request, user, **kwargs):
    # Oscar's offers and analytics listen to user_registered; allauth never sends it.
    user_registered.send(sender=sender, request=request, user=user)
