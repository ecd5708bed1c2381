import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    """Forked now so the Mollie checkout (place order, then pay) can override views."""

    name = "oscar_forks.checkout"
