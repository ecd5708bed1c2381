import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket; voucher codes are tried a few at a time per client address."""

    name = "oscar_forks.basket"
