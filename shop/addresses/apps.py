from django.apps import AppConfig


class AddressesConfig(AppConfig):
    """Addresses per country: which fields, labels and postcodes each country has, how they are stored in Oscar's
    address fields, and how an address is printed."""

    name = "shop.addresses"
    label = "shop_addresses"
