"""What a customer may do with their own account as a whole: take a copy of their data, or delete it."""

import logging

from allauth.account.models import EmailAddress
from django.db import transaction
from oscar.core.loading import get_model

from shop.notifications.models import OutgoingEmail
from shop.orders import statuses

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")


class AccountNotDeletable(Exception):
    def __init__(self, order_numbers: list[str]):
        self.order_numbers = order_numbers
        super().__init__(f"orders in progress: {', '.join(order_numbers)}")


def account_delete(*, user) -> None:
    """Delete the account and the personal data kept for it: addresses, email addresses, sessions, second
    factors, social logins, baskets, wishlists, and our copies of the emails sent to it. Orders stay, for the
    books (their invoice addresses are kept as the law asks), no longer linked to anyone.

    Refused while an order is in progress: its updates and any refund need the account."""
    in_progress = list(
        Order.objects.filter(user=user).exclude(status__in=statuses.FINISHED).values_list("number", flat=True)
    )
    if in_progress:
        raise AccountNotDeletable(in_progress)
    with transaction.atomic():
        addresses = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
        for address in addresses:
            OutgoingEmail.objects.filter(to=[address]).delete()
        user_id = user.pk
        user.delete()  # Oscar's orders keep their rows (user set to NULL); everything else of the user goes
    logger.info("account %s deleted at its owner's request", user_id)
