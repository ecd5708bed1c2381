"""Which Content-Security-Policy an answer carries: django-csp's middleware, choosing the policy by area.

The storefront's policy is django-csp's setting (CONTENT_SECURITY_POLICY, or ..._REPORT_ONLY with CSP_REPORT_ONLY);
the staff areas (Wagtail's editor, Oscar's dashboard, Django admin) get SHOP_CSP_STAFF in the same mode. Hosts
that come from other settings or rows are added per answer, so a change is followed at once (the Mollie
simulator's port in tests): Mollie's host to form-action (its hosted payment page) and img-src (the payment
methods' icons the checkout shows); the sign-in providers' hosts to form-action on allauth's pages; the static
and media hosts when those are served from another origin."""

from urllib.parse import urlsplit

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

from shop.accounts.providers import provider_login_origins
from shop.accounts.staff_policy import in_staff_area

IDENTITY_PAGES = "/accounts/"  # allauth's, where sign-in with a provider starts
MOLLIE = "https://www.mollie.com"  # its hosted payment page (_links.checkout) and its methods' icons (image.svg)


class ShopCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        storefront = getattr(
            settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY", None
        )
        if not storefront or parts.config is not None:  # this mode is off, or the view chose its own policy
            return parts
        directives = dict(settings.SHOP_CSP_STAFF if in_staff_area(request) else storefront["DIRECTIVES"])
        if getattr(request, "is_dummy", False):
            # Wagtail renders an editor's preview as a request of its own for the page's URL, through the
            # middleware: the page keeps the storefront's policy, and may be framed by the editor around it.
            directives["frame-ancestors"] = [SELF]
        assets = _asset_origins()
        for directive in ("img-src", "font-src", "script-src", "style-src", "media-src"):
            if assets and directive in directives:
                directives[directive] = [*directives[directive], *assets]
        for directive in ("form-action", "img-src"):
            directives[directive] = [*directives.get(directive, []), *payment_origins()]
        if request.path_info.startswith(IDENTITY_PAGES):  # "Continue" to a provider posts, then redirects there
            directives["form-action"] = [*directives["form-action"], *provider_login_origins(request)]
        parts.config = default_config(directives)
        return parts


def payment_origins() -> list[str]:
    """Mollie, and the simulator the Mollie client talks to when one is set (dev, tests, staging)."""
    origins = [MOLLIE]
    endpoint = getattr(settings, "MOLLIE_API_ENDPOINT", "")
    if endpoint:
        origins.append(_origin(endpoint))
    return origins


def _asset_origins() -> list[str]:
    return sorted({_origin(url) for url in (settings.STATIC_URL, settings.MEDIA_URL) if urlsplit(url).netloc})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
