"""The three simulators as the shop's settings expect them, for the commands that start them
(`runserver` beside the shop, `simulators` in the foreground): the carrier simulator accepts the keys and signs
pushes with the secrets of SHOP_CARRIERS; the OpenID Connect provider registers one client (the shop, as
conf.demo_identity_provider registers the provider in dev.py) and has a person signed in, so a click on its button
in the shop comes back signed in."""

from urllib.parse import urlsplit

from django.conf import settings

from .carriers import CarrierSimulator
from .conf import OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_PROVIDER_ID
from .mollie import MollieSimulator
from .oidc import Identity, OidcSimulator

# Who is signed in at the OpenID Connect simulator: an address no demo account has, because a provider's email
# never opens an existing account (the shop asks its owner to sign in and connect the provider instead).
OIDC_IDENTITY = Identity(
    sub="dev-shopper-1",
    email="social.shopper@example.com",
    email_verified=True,
    name="Sam Social",
    given_name="Sam",
    family_name="Social",
)


def demo_identity_provider_registered() -> bool:
    """Whether the settings register the simulator as the demo identity provider (dev.py does, for `make run`)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return any(app.get("provider_id") == OIDC_PROVIDER_ID for app in apps)


def host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def carrier_push_urls(shop_url: str) -> dict[str, str]:
    """Where each configured carrier's pushes go: the shop's push endpoint for that carrier."""
    return {code: f"{shop_url.rstrip('/')}/fulfilment/carriers/{code}/push/" for code in settings.SHOP_CARRIERS}


def mollie_simulator(*, host: str, port: int, public_url: str | None = None, refund_settle_delay: float | None = 5):
    return MollieSimulator(host=host, port=port, public_url=public_url, refund_settle_delay=refund_settle_delay)


def carrier_simulator(
    *, host: str, port: int, auto_advance_seconds: float | None, push_urls: dict[str, str] | None = None
) -> CarrierSimulator:
    carriers = settings.SHOP_CARRIERS
    return CarrierSimulator(
        host=host,
        port=port,
        push_urls=push_urls,
        push_secrets={code: options.get("PUSH_SECRET", "") for code, options in carriers.items()},
        api_keys={code: options["API_KEY"] for code, options in carriers.items() if options.get("API_KEY")},
        auto_advance_seconds=auto_advance_seconds,
    )


def oidc_simulator(
    *, host: str, port: int, client_id: str = OIDC_CLIENT_ID, client_secret: str = OIDC_CLIENT_SECRET
) -> OidcSimulator:
    # Any http(s) redirect URI: the provider id, and so the callback path, is whatever the admin types.
    provider = OidcSimulator(client_id=client_id, client_secret=client_secret, host=host, port=port)
    provider.sign_in(OIDC_IDENTITY)
    return provider
