class PaymentError(Exception):
    """Base of the payments domain's errors."""


class ProviderUnavailable(PaymentError):
    """Mollie could not be reached or answered with a server error; trying again later may work."""


class ProviderRefused(PaymentError):
    """Mollie refused the request (4xx): retrying the same request will not help."""


class RefundNotAllowed(PaymentError):
    """The refund asked for exceeds what was paid and not yet refunded, or nothing was paid."""
