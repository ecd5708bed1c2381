"""Social login against the loopback OpenID Connect provider: the provider, its SocialApp row, and the browser's
side of the round trip (shop → provider → shop) for Django's test client."""

from urllib.parse import urlsplit

import requests

from shop.devtools.oidc import OidcSimulator

PROVIDER_ID = "demo-id"
PROVIDER_NAME = "Demo ID"
LOGIN_PATH = f"/accounts/oidc/{PROVIDER_ID}/login/"
CALLBACK_PATH = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"


def start_provider(shop_url: str) -> OidcSimulator:
    """The provider, with the shop's callback as the one redirect URI registered for the shop's client."""
    provider = OidcSimulator(client_id="shop-demo", redirect_uris=(shop_url + CALLBACK_PATH,))
    provider.start()
    return provider


def social_app_for(provider: OidcSimulator, **app_settings):
    """The provider's row, as an admin adds it (Social applications), attached to the current site."""
    from allauth.socialaccount.models import SocialApp

    from shop.bootstrap import django_site_ensure

    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name=PROVIDER_NAME,
        client_id=provider.client_id,
        secret=provider.client_secret,
        settings={"server_url": provider.url, **app_settings},
    )
    app.sites.add(django_site_ensure())  # a transactional test before may have flushed the site away
    return app


# The browser's side, step by step (a test may tamper between steps)


def go_to_provider(client, **data) -> str:
    """Press the provider's button on the shop (allauth asks for a POST); returns the provider URL it redirects to."""
    response = client.post(LOGIN_PATH, data)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def authorize_at_provider(authorize_url: str) -> str:
    """The browser at the provider: returns where the provider sends it back to."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def back_at_shop(client, callback_url: str):
    """The browser follows the provider's redirect to the shop's callback."""
    parts = urlsplit(callback_url)
    assert parts.path == CALLBACK_PATH, callback_url
    return client.get(f"{parts.path}?{parts.query}")


def social_login(client, **data):
    """The whole round trip; returns the shop's answer at its callback."""
    return back_at_shop(client, authorize_at_provider(go_to_provider(client, **data)))
