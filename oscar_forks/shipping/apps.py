import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    """Forked for its repository: delivery methods from the database, priced with VAT."""

    name = "oscar_forks.shipping"
