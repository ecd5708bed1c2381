import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket; adding to it and trying voucher codes are throttled per client address (views.py)."""

    name = "oscar_forks.basket"
