import pytest

from tests.support.oidc import social_app_for, start_provider


@pytest.fixture
def oidc_provider(db):
    """A loopback OpenID Connect provider, configured in the shop as an admin would (a SocialApp row, "Demo ID").

    The shop's server side talks to it over HTTP (discovery, token, userinfo); Django's test client plays the
    browser ("testserver"), whose redirect URI is the only one the provider accepts."""
    provider = start_provider("http://testserver")
    social_app_for(provider)
    yield provider
    provider.stop()
