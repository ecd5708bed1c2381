from shop.accounts.staff_policy import staff_access_granted

from .models import Receipt


def receipt_for_viewer(*, number: str, user, signature: str = "") -> Receipt | None:
    """A receipt or credit note, if this viewer may see it: its order's owner, staff who may see
    orders (with the second factor the staff policy asks), or whoever holds the order's signed link
    (guests). Anyone else gets None (a 404): receipt numbers run in sequence, so they are easy to guess."""
    receipt = Receipt.objects.select_related("order").filter(number=number).first()
    if receipt is None:
        return None
    order = receipt.order
    if user.is_authenticated and order.user_id == user.pk:
        return receipt
    if staff_access_granted(user) and user.has_perm("order.view_order"):
        return receipt
    if not order.user_id and signature and order.check_verification_hash(signature):
        return receipt
    return None
