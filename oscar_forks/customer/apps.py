import oscar.apps.customer.apps as apps


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer account, with an order history that filters by status (forms.py, views.py)."""

    name = "oscar_forks.customer"
