"""The devtools' own settings and their defaults. shop/settings/dev.py sets them for `make run`; under the test
settings the defaults apply (runserver starts no simulator, `manage.py simulators` listens where dev would)."""

from django.conf import settings

DEFAULTS = {
    # runserver starts these beside the shop (dev.py turns them on; with the OpenID Connect simulator it registers
    # the simulator as the "Demo identity provider").
    "SHOP_MOLLIE_SIMULATOR": False,
    "SHOP_CARRIER_SIMULATOR": False,
    "SHOP_OIDC_SIMULATOR": False,
    # How long a simulated parcel takes per step (announced, in transit, out for delivery, delivered).
    "SHOP_CARRIER_SIMULATOR_STEP_SECONDS": 120.0,
    # Where each simulator listens when no setting of the shop's says so: the Mollie simulator at
    # MOLLIE_API_ENDPOINT, the carriers at CARRIER_SIMULATOR_URL (the carrier defaults in
    # shop/settings/components/commerce.py point there).
    "MOLLIE_SIMULATOR_URL": "http://127.0.0.1:8001",
    "CARRIER_SIMULATOR_URL": "http://127.0.0.1:8002",
    "OIDC_SIMULATOR_URL": "http://127.0.0.1:8003",
}


# The OpenID Connect simulator's one client, as the shop is registered there and the provider is registered in the
# shop: by dev.py's settings (demo_identity_provider), or by hand in Django admin → Social applications.
OIDC_CLIENT_ID = "shop-dev"
OIDC_CLIENT_SECRET = "dev-only-oidc-secret"  # nosec B105  # a loopback stand-in's client secret, printed on start
OIDC_PROVIDER_ID = "dev-id"  # the provider id in the shop's URLs: /accounts/oidc/dev-id/login/
OIDC_PROVIDER_NAME = "Demo identity provider"


def demo_identity_provider(server_url: str) -> dict:
    """The simulator as allauth's settings register an OpenID Connect provider: one entry of
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]. Settings only: a Social application row with the same
    provider id as well would make two (allauth raises MultipleObjectsReturned)."""
    return {
        "provider_id": OIDC_PROVIDER_ID,
        "name": OIDC_PROVIDER_NAME,
        "client_id": OIDC_CLIENT_ID,
        "secret": OIDC_CLIENT_SECRET,
        "settings": {"server_url": server_url},
    }


def devtools_setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def mollie_simulator_url() -> str:
    """The Mollie client's endpoint when one is set (dev points it at the simulator), else the default."""
    return settings.MOLLIE_API_ENDPOINT or DEFAULTS["MOLLIE_SIMULATOR_URL"]
