"""The devtools' own settings and their defaults. shop/settings/dev.py sets them for `make run`; under the test
settings the defaults apply (runserver starts no simulator, `manage.py simulators` listens where dev would)."""

from django.conf import settings

DEFAULTS = {
    # runserver starts these beside the shop (dev.py turns them on).
    "SHOP_MOLLIE_SIMULATOR": False,
    "SHOP_CARRIER_SIMULATOR": False,
    # How long a simulated parcel takes per step (announced, in transit, out for delivery, delivered).
    "SHOP_CARRIER_SIMULATOR_STEP_SECONDS": 120.0,
    # Where each simulator listens when no setting of the shop's says so: the Mollie simulator at
    # MOLLIE_API_ENDPOINT, the carriers at CARRIER_SIMULATOR_URL (the carrier defaults in
    # shop/settings/components/commerce.py point there).
    "MOLLIE_SIMULATOR_URL": "http://127.0.0.1:8001",
    "CARRIER_SIMULATOR_URL": "http://127.0.0.1:8002",
    "OIDC_SIMULATOR_URL": "http://127.0.0.1:8003",
}


def devtools_setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def mollie_simulator_url() -> str:
    """The Mollie client's endpoint when one is set (dev points it at the simulator), else the default."""
    return settings.MOLLIE_API_ENDPOINT or DEFAULTS["MOLLIE_SIMULATOR_URL"]
