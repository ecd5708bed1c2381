"""Settings shared by every environment: the applications, middleware and templates, over the settings of
each area (shop/settings/components/).

Values that differ between environments are read from the environment with
django-environ; dev.py, test.py and production.py only choose defaults.
"""

from oscar.defaults import *  # noqa: F403  (Oscar's documented way to get its defaults; the components override them)

# Each area's settings. Their order does not matter: a component imports what it reads from another, and each
# setting is defined by one component only (tests/test_settings_components.py).
from .components.commerce import *  # noqa: F403
from .components.content import *  # noqa: F403
from .components.email import *  # noqa: F403
from .components.environment import *  # noqa: F403
from .components.environment import BASE_DIR
from .components.identity import *  # noqa: F403
from .components.observability import *  # noqa: F403
from .components.security import *  # noqa: F403
from .components.tasks import *  # noqa: F403

# --- Applications ---------------------------------------------------------
INSTALLED_APPS = [
    # django_dramatiq sets the global broker in its AppConfig: it goes first so
    # every actor declared later binds to the configured broker.
    "django_dramatiq",
    "dramatiq_crontab",  # the scheduler command: manage.py crontab
    "shop.accounts.admin_site.ShopAdminConfig",  # Django admin: superusers only, money read-only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # The shop's own domains
    "shop.accounts",
    "shop.outbox",
    "shop.notifications",
    "shop.pricing",
    "shop.addresses",  # address fields per country, how they are stored in Oscar's and printed
    "shop.orders",
    "shop.payments",
    "shop.fulfilment",
    "shop.receipts",
    "shop.communications",  # order and parcel emails, their actors, the order timeline
    "shop.observability",
    "shop.monitoring",  # reads every domain: health, readiness, metrics gauges
    "shop.demo",
    "shop.search",
    "shop.catalogue",
    "shop.pagecache",
    "shop.branding",  # the storefront's stylesheet (static/shop/css/shop.css, built by make css)
    # Oscar, with thin forks where we change behaviour
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar_forks.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar_forks.shipping.apps.ShippingConfig",
    "oscar_forks.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar_forks.communication.apps.CommunicationConfig",
    "oscar_forks.partner.apps.PartnerConfig",
    "oscar_forks.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar_forks.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar_forks.customer.apps.CustomerConfig",
    "oscar_forks.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar_forks.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    # haystack before wagtail.search: both ship update_index and the first wins.
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # Identity
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",  # any OpenID Connect provider, one Social application each
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.apple",
    "allauth.usersessions",  # the shopper's signed-in sessions, listed at /accounts/sessions/
    "allauth.mfa",  # authenticator app (TOTP) and recovery codes, at /accounts/2fa/
    # Content
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Operations
    "django_prometheus",
    "django_structlog",
    "csp",  # django-csp: its checks and template tags; the policy is chosen per area by shop.accounts.content_policy
]

# Forks that change no model keep Oscar's migrations.
MIGRATION_MODULES = {
    label: f"oscar.apps.{label}.migrations"
    for label in ("basket", "communication", "customer", "offer", "partner", "shipping")
}

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "shop.observability.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (shop.accounts.content_policy): outside the page cache, so every answer, a cached
    # page's too, gets its own nonce.
    "shop.accounts.content_policy.ShopCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Logs each request's start and end with the user (after authentication), under RequestIdMiddleware's id.
    "django_structlog.middlewares.RequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # The staff policy (shop/accounts/staff_policy.py): idle staff are signed out before anything else sees them.
    "shop.accounts.staff_policy.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shop.accounts.staff_policy.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.frames.CmsSameOriginFramesMiddleware",
    # Oscar's basket middleware needs request.user: after authentication.
    "oscar.apps.basket.middleware.BasketMiddleware",
    # Anonymous product and category pages cached whole: after the basket (it needs request.user and sees
    # whether the page touched the basket), before the redirects (a redirect is never a cached page).
    "shop.pagecache.middleware.PageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "shop.branding.context_processors.shop_name",  # after Oscar's: the editors' name, not a setting
                "wagtail.contrib.settings.context_processors.settings",
                # Last: on a page cached whole it blanks the CSRF token and the messages set above.
                "shop.pagecache.context_processors.page_shell",
            ],
        },
    }
]
