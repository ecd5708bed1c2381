"""Where sign-in with a provider sends the browser: the origins of the providers' authorization pages.

allauth's "Continue" form posts to the shop, which redirects to the provider; Chrome holds that redirect to the
page's CSP form-action (shop/accounts/content_policy.py), so the identity pages allow these origins as form targets."""

from urllib.parse import urlsplit

from allauth.socialaccount.adapter import get_adapter

# The authorization endpoints of the built-in providers the shop enables (allauth's adapters' authorize_url).
PROVIDER_ORIGINS = {
    "google": "https://accounts.google.com",
    "facebook": "https://www.facebook.com",
    "apple": "https://appleid.apple.com",
}


def provider_login_origins(request) -> list[str]:
    """One origin per configured provider (Django admin → Social applications, or settings): an OpenID Connect
    provider's is its server_url's (its authorization endpoint is served there)."""
    origins = set()
    for app in get_adapter().list_apps(request):
        if app.provider in PROVIDER_ORIGINS:
            origins.add(PROVIDER_ORIGINS[app.provider])
        elif server_url := (app.settings or {}).get("server_url"):
            parts = urlsplit(server_url)
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
