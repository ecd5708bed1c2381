"""Settings shared by every environment.

Values that differ between environments are read from the environment with
django-environ; dev.py, test.py and production.py only choose defaults.
"""

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's documented way to get its defaults)

from shop.observability.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").exists():  # optional local overrides, never committed
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Absolute base of the public site; used for links built outside a request
# (emails, payment redirect and webhook URLs).
SHOP_BASE_URL = env("SHOP_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SHOP_BASE_URL

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
    "shop.orders",
    "shop.payments",
    "shop.fulfilment",
    "shop.receipts",
    "shop.observability",
    "shop.monitoring",  # reads every domain: health, readiness, metrics gauges
    "shop.demo",
    "shop.search",
    "shop.catalogue",
    "shop.pagecache",
    # Oscar, with thin forks where we change behaviour
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar_forks.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar_forks.shipping.apps.ShippingConfig",
    "oscar_forks.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
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
    label: f"oscar.apps.{label}.migrations" for label in ("basket", "customer", "offer", "partner", "shipping")
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
                "wagtail.contrib.settings.context_processors.settings",
                # Last: on a page cached whole it blanks the CSRF token and the messages set above.
                "shop.pagecache.context_processors.page_shell",
            ],
        },
    }
]

# --- Data -----------------------------------------------------------------
DATABASES = {
    "default": {
        # PostgreSQL everywhere; without DATABASE_URL dev.py starts `make run`'s own server, production refuses.
        **env.db("DATABASE_URL", default="postgres:///shop"),
        # Oscar relies on one transaction per request.
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=0),
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that cannot be reached fails a request (and /readyz) after this many seconds instead of
    # psycopg's 130 (libpq's minimum is 2). A stopped server refuses at once anyway. The URL's own option wins.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT_SECONDS", default=3),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
AUTH_USER_MODEL = "accounts.User"

# REDIS_URL: the cache, rate limits and the scheduler lock. The broker has its
# own database (BROKER_URL, under Tasks). The cache may run on a Redis server
# that evicts (maxmemory-policy allkeys-lru) only if the broker is on another one.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # The storefront outlives its cache: django-redis answers a miss (and drops a write) while Redis
    # cannot be reached, and logs it on `shop.cache`. Pages are then rendered from the database, sessions
    # read from it (cached_db), and the rate limits let requests through (shop/infrastructure/cache.py). The short
    # timeouts keep a dead Redis from stalling each request.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shop",
            "OPTIONS": {
                "CLIENT_CLASS": "shop.infrastructure.cache.FailOpenClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT_SECONDS", default=0.5),
                "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT_SECONDS", default=0.5),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "shop.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous product and category pages are cached whole (shop/pagecache): purged at once when what they show
# changes; this is only the longest any copy is kept.
SHOP_PAGE_CACHE_SECONDS = env.int("SHOP_PAGE_CACHE_SECONDS", default=60 * 60)

# --- Identity (allauth is the only way in) ---------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "customer:summary"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing the email address: one address per account; the new one replaces the old only once its link is
# followed, and only after the password is entered again (at most ACCOUNT_REAUTHENTICATION_TIMEOUT before).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Tell the owner when their password, email address or second factor changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None  # the shopper chooses "Keep me signed in" (SESSION_COOKIE_AGE), or not
ACCOUNT_FORMS = {"login": "shop.accounts.forms.LoginForm"}
# A password-reset link works once (it is bound to the current password) and for this long.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
# Each signed-in request notes where and when the session was last seen (device, browser, IP), so the
# sessions page can show them; a shopper signs out every other session there.
USERSESSIONS_TRACK_ACTIVITY = True
# Staff-like users (dashboard, CMS or admin access) are signed out after this long without a request of their
# own (the editor's background ping does not count), "remember me" or not (shop/accounts/staff_policy.py).
SHOP_STAFF_IDLE_MINUTES = env.int("SHOP_STAFF_IDLE_MINUTES", default=30)
ACCOUNT_ADAPTER = "shop.accounts.adapter.AccountAdapter"
# Second factor: an authenticator app plus single-use recovery codes. Staff-like users must set it up
# before the dashboard, /cms/ or /django-admin/ opens or any staff privilege works (shop/accounts/staff_policy.py);
# shoppers may.
MFA_ADAPTER = "shop.accounts.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
SHOP_STAFF_MFA_REQUIRED = env.bool("SHOP_STAFF_MFA_REQUIRED", default=True)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SHOP_BASE_URL.startswith("https") else "http"
# Providers (Google, Facebook, Apple, any OpenID Connect server) are configured in the database:
# Django admin → Social applications, one row each, never in settings as well (both at once raises
# MultipleObjectsReturned). Settings only harden the protocol: PKCE on every OpenID Connect login.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_ADAPTER = "shop.accounts.adapter.SocialAccountAdapter"
# A provider's word that an email is verified never opens an existing account: its owner signs in
# (password) and connects the provider at /accounts/3rdparty/ (shop/accounts/adapter.py).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, money ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
SITE_ID = 1

OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_CURRENCY_FORMAT = {"EUR": {"currency_digits": True, "format_type": "standard"}}
# Shelf prices include VAT. A product class names its VAT category; the rate of
# each category lives here because the law changes rates, not the catalogue.
# Offers and vouchers discount the gross (shelf) price; Oscar's default (net) would take
# 10 % of the net price and then gross it up, giving more than 10 % off.
OSCAR_OFFERS_INCL_TAX = True
SHOP_VAT_RATES = {
    "standard": Decimal("0.21"),
    "reduced": Decimal("0.09"),
    "zero": Decimal("0.00"),
}
# Delivery charges are gross, taxed at this category's rate; without an address
# the basket estimates delivery to the shop's home country.
SHOP_SHIPPING_VAT_CATEGORY = "standard"
SHOP_DEFAULT_SHIPPING_COUNTRY = "NL"
SHOP_NAME = env("SHOP_NAME", default="Django Shop")
# Who issues receipts: printed on every receipt and credit note.
SHOP_SELLER = {
    "name": env("SHOP_SELLER_NAME", default=SHOP_NAME),
    "address": env("SHOP_SELLER_ADDRESS", default="Damrak 1\n1012 LG Amsterdam\nNetherlands"),
    "vat_id": env("SHOP_SELLER_VAT_ID", default="NL000099998B57"),
    "chamber_of_commerce": env("SHOP_SELLER_COC", default="00000000"),
    "email": env("DEFAULT_FROM_EMAIL", default="shop@example.com"),
}
OSCAR_SHOP_NAME = SHOP_NAME
MFA_TOTP_ISSUER = SHOP_NAME  # the name authenticator apps show
OSCAR_SHOP_TAGLINE = ""
OSCAR_HOMEPAGE = "/"
OSCAR_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shop@example.com")
OSCAR_SEND_REGISTRATION_EMAIL = False  # allauth's sign-up email is the welcome
OSCAR_ALLOW_ANON_CHECKOUT = True
# A guest may use an email that has an account: the checkout never says whether one exists.
OSCAR_ALLOW_GUEST_CHECKOUT_WITH_ACCOUNT = True
OSCAR_ACCOUNTS_REDIRECT_URL = "customer:profile-view"
OSCAR_PRODUCTS_PER_PAGE = 24
# Most items one basket may hold (a shop this size ships parcels, not pallets).
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = env.int("SHOP_MAX_BASKET_ITEMS", default=50)
# Most units of one product in one order: each unpaid order holds its stock, so no single order may
# take a whole shelf. Checked when adding to or changing the basket, and again when the order is placed.
SHOP_MAX_LINE_QUANTITY = env.int("SHOP_MAX_LINE_QUANTITY", default=10)
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
# Wagtail is the one content system: Oscar's dashboard "Pages" (flatpages) is gone from the menu and its URLs
# answer 404 (shop/urls.py). The flatpages app stays installed only because Oscar's migrations depend on it.
OSCAR_DASHBOARD_NAVIGATION = [
    {**section, "children": [item for item in section["children"] if item.get("url_name") != "dashboard:page-list"]}
    if "children" in section
    else section
    for section in OSCAR_DASHBOARD_NAVIGATION  # noqa: F405  (Oscar's default, from oscar.defaults)
]

# The listings' facets: field facets, counted together in one pass (shop/search/backends/facets.py); a product's
# price band is indexed as a label (shop/search/price_bands.py).
OSCAR_SEARCH_FACETS = {
    "fields": {
        "category_name": {"name": _("Category"), "field": "category_name"},
        "price_band": {"name": _("Price"), "field": "price_band"},
        "availability": {"name": _("Availability"), "field": "availability"},
        # One field for every attribute; the listing shows a group per attribute (shop/search/listing_facets.py).
        "attribute": {"name": _("Attributes"), "field": "attribute"},
    },
    "queries": {},
}

# Search runs through shop/search/ on PostgreSQL full-text search with trigram typo tolerance, in every
# environment (shop/search/backends/postgres.py). The shop's ProductIndex replaces Oscar's.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "shop.search.backends.postgres.PostgresEngine",
        "INCLUDE_SPELLING": True,
        "EXCLUDED_INDEXES": ["oscar.apps.search.search_indexes.ProductIndex"],
    }
}
# Product and stock changes reach the index through the `search` queue.
HAYSTACK_SIGNAL_PROCESSOR = "shop.search.signals.OutboxSignalProcessor"

# --- Content ----------------------------------------------------------------
# bootstrap_shop creates the legal pages (terms, privacy, imprint, shipping and returns) with a placeholder text:
# as drafts, so a live shop never serves "Replace this text…" as its terms; dev.py publishes them for `make run`.
SHOP_PUBLISH_PLACEHOLDER_PAGES = False
WAGTAIL_SITE_NAME = SHOP_NAME
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth resets passwords (throttled), for editors too
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # editors' email hashes go to no third party (and the CSP allows none)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads editors may make. Documents are downloads for shoppers (manuals, spec sheets, price lists): no type
# a browser runs (html, svg, xml, js), no program or macro document (exe, docm, xlsm), no archive (zip hides
# any of those from this list). Served only through Wagtail's view (/documents/<id>/<name>), which checks
# collection privacy and sends them with CSP default-src 'none' and nosniff; PDFs open inline, the rest download.
# The files sit under MEDIA_ROOT/documents/: the web server must not serve that folder (docs/security.md).
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv", "docx", "xlsx", "odt", "ods"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# Images are decoded and re-encoded by Pillow for every rendition; SVG (scriptable) is never accepted.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
# Wagtail's own jobs (search and reference index) run right after the editor's
# transaction commits. They are small, editor-only and rebuildable
# (wagtail_update_index, rebuild_references_index): a second queue with its own
# worker would add an operational moving part for no durability we need.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Receipts and credit notes: never under MEDIA_URL; a view checks who asks before serving one.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "shop.infrastructure.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email ------------------------------------------------------------------
# Every email is stored in the database and sent by the `emails` queue;
# EMAIL_DELIVERY_BACKEND is what the worker finally hands it to.
EMAIL_BACKEND = "shop.notifications.backends.OutboxEmailBackend"
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email = env.email_url("EMAIL_URL", default="smtp://127.0.0.1:25")
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 15

# --- Tasks ------------------------------------------------------------------
# Queues: emails, payments, tracking, search. Tasks that matter are written to
# the outbox in the caller's transaction and relayed to this broker.
DRAMATIQ_MIDDLEWARE = [
    # First: every other middleware's lines (retries, age and time limits) carry the task's request id.
    "shop.observability.dramatiq.LogContextMiddleware",
    "dramatiq.middleware.AgeLimit",
    "dramatiq.middleware.TimeLimit",
    "dramatiq.middleware.Callbacks",
    # Before Retries: its after-hooks run after Retries' (reverse order), once the failure is known to be the last.
    "shop.outbox.middleware.DeadLetterMiddleware",
    "dramatiq.middleware.Retries",
    "dramatiq.middleware.CurrentMessage",
    "shop.observability.task_metrics.TaskMetrics",  # Dramatiq's Prometheus series (manage.py worker serves them)
    "django_dramatiq.middleware.DbConnectionsMiddleware",
    "shop.outbox.middleware.OutboxDoneMiddleware",  # last: its after-hooks run first, on an open connection
]


def redis_broker_url(url: str) -> str:
    """The broker's Redis URL with timeouts: an unreachable Redis must fail fast,
    because the after-commit relay runs inside the request. (RedisBroker builds its
    pool from the URL alone, so the timeouts travel in the query string.)"""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout=2&socket_timeout=10"


def redis_neighbour_database(url: str) -> str:
    """`url` moved to the next Redis database, or to the previous one when `url` uses
    database 15 (the last of Redis's default 16): redis://h:6379/0 -> redis://h:6379/1."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if parts.scheme not in ("redis", "rediss") or "db=" in parts.query or not (path == "" or path.isdigit()):
        raise ImproperlyConfigured(f"Cannot derive the broker's database from REDIS_URL {url!r}: set BROKER_URL.")
    database = int(path or 0)
    return urlunsplit(parts._replace(path=f"/{database + 1 if database < 15 else database - 1}"))


def _redis_database(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.hostname, parts.port or 6379, parts.path.strip("/") or "0"


# The broker lives in its own Redis database, never the cache's: the cache is
# flushed by `cache.clear()` (FLUSHDB) and may evict keys, and a lost queue entry
# is a lost payment or email task. BROKER_URL defaults to REDIS_URL's neighbouring
# database (see redis_neighbour_database). Eviction is decided per Redis *server*,
# not per database: the server holding the broker must run with
# `maxmemory-policy noeviction`; a cache that should evict (allkeys-lru) needs a
# Redis server of its own.
BROKER_URL = env("BROKER_URL", default=redis_neighbour_database(REDIS_URL) if REDIS_URL else "")
if BROKER_URL and REDIS_URL and _redis_database(BROKER_URL) == _redis_database(REDIS_URL):
    raise ImproperlyConfigured("BROKER_URL must not be the cache's Redis database (REDIS_URL).")

# A worker that dies (SIGKILL, OOM, a lost host) leaves the messages it had taken unacknowledged. Dramatiq
# gives them back once the worker has missed heartbeats for BROKER_HEARTBEAT_TIMEOUT_MS, on a maintenance
# pass that each broker command triggers with a chance of BROKER_MAINTENANCE_CHANCE per million. Its
# defaults (60 s, 0.1%: one pass in minutes with a few idle workers) let a paid order's confirmation wait
# for many minutes; these bring it back in about 30 s. A live worker heartbeats on every poll (about once a
# second per queue), so 15 s without one is a dead worker, not a busy one.
BROKER_HEARTBEAT_TIMEOUT_MS = env.int("BROKER_HEARTBEAT_TIMEOUT_MS", default=15_000)
BROKER_MAINTENANCE_CHANCE = env.int("BROKER_MAINTENANCE_CHANCE", default=250_000)
if BROKER_URL:
    DRAMATIQ_BROKER = {
        "BROKER": "dramatiq.brokers.redis.RedisBroker",
        "OPTIONS": {
            "url": redis_broker_url(BROKER_URL),
            "heartbeat_timeout": BROKER_HEARTBEAT_TIMEOUT_MS,
            "maintenance_chance": BROKER_MAINTENANCE_CHANCE,
        },
        "MIDDLEWARE": DRAMATIQ_MIDDLEWARE,
    }
else:
    DRAMATIQ_BROKER = {
        "BROKER": "dramatiq.brokers.stub.StubBroker",
        "OPTIONS": {},
        "MIDDLEWARE": DRAMATIQ_MIDDLEWARE,
    }
DRAMATIQ_TASKS_DATABASE = "default"
DRAMATIQ_IGNORED_MODULES = ["wagtail.*"]
# Start a worker thread inside runserver (the embedded default, no Redis).
SHOP_IN_PROCESS_WORKER = env.bool("SHOP_IN_PROCESS_WORKER", default=not BROKER_URL)
# The scheduler (`manage.py scheduler`) holds a Redis lock, refreshed every LOCK_REFRESH_INTERVAL
# seconds: a second scheduler waits and takes over within LOCK_TIMEOUT seconds of the first one's end.
DRAMATIQ_CRONTAB = {
    "REDIS_URL": REDIS_URL or None,
    "LOCK_REFRESH_INTERVAL": env.int("SCHEDULER_LOCK_REFRESH_SECONDS", default=5),
    "LOCK_TIMEOUT": env.int("SCHEDULER_LOCK_TIMEOUT_SECONDS", default=10),
}
OUTBOX_RELAY_INTERVAL_SECONDS = env.int("OUTBOX_RELAY_INTERVAL_SECONDS", default=10)
# /readyz reports the node degraded (still 200) when the oldest task not yet published is older than this.
SHOP_READINESS_OUTBOX_MAX_AGE_SECONDS = env.int("SHOP_READINESS_OUTBOX_MAX_AGE_SECONDS", default=300)
# The scheduler writes a heartbeat row this often while it runs the jobs; /metrics shows its time
# (shop_scheduler_last_tick_timestamp_seconds), read from PostgreSQL, so a stopped scheduler shows with Redis gone.
SCHEDULER_HEARTBEAT_SECONDS = env.int("SCHEDULER_HEARTBEAT_SECONDS", default=60)
# `manage.py worker` serves the metrics of all its processes here (host:port, empty for none), to
# METRICS_ALLOWED_NETWORKS only; each worker command on a host needs an address of its own.
WORKER_METRICS_ADDRESS = env("WORKER_METRICS_ADDRESS", default="127.0.0.1:9191")
# Where its processes keep their counts (emptied at start); default: shop-worker-metrics-<port> in the temp dir.
WORKER_METRICS_DIR = env("WORKER_METRICS_DIR", default="")

# --- Orders and payments -------------------------------------------------------
# An order exists before the shopper pays: it waits in "Pending payment" with its
# stock allocated, and the payment (webhook, return page or reconciliation) moves it on.
# Staff may only make the moves listed here; payments move orders through services, and an
# unpaid order is canceled with the dashboard's "Cancel unpaid order" (which also cancels its
# payments at Mollie and releases its stock), never by a bare status change. Orders ship through
# shipments (carrier, tracking number, lines), never by a bare status change either; after that the
# carrier's tracking moves them, and staff may mark an order delivered when the carrier says nothing.
OSCAR_INITIAL_ORDER_STATUS = "Pending payment"
OSCAR_INITIAL_LINE_STATUS = "Pending payment"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending payment": (),
    "Authorized": ("Processing",),
    "Paid": ("Processing",),
    "Processing": (),
    "Partially shipped": (),
    "Shipped": ("Delivered",),
    "Out for delivery": ("Delivered",),
    "Delivery problem": ("Shipped", "Delivered"),
    "Delivered": (),
    "Canceled": (),
    "Refunded": (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {status: status for status in OSCAR_ORDER_STATUS_PIPELINE}

# The dev default is a test key for the local Mollie simulator; MOLLIE_API_ENDPOINT
# points the real client at another base URL (dev.py: the simulator's). A real key and no endpoint
# means the real Mollie.
MOLLIE_API_KEY = env("MOLLIE_API_KEY", default="test_simulator000000000000000000")
MOLLIE_API_ENDPOINT = env("MOLLIE_API_ENDPOINT", default="")
# Mollie's payment methods for an amount and country change rarely: cache the list briefly.
MOLLIE_METHODS_CACHE_SECONDS = env.int("MOLLIE_METHODS_CACHE_SECONDS", default=300)
# How long an order may wait for a successful payment before it is canceled and its
# stock released, per Mollie method, in minutes. A bank transfer holds its stock while it is
# awaited: five days cover a SEPA transfer made over a weekend (one working day in the EU) and
# Mollie matching it, without letting an unpaid order take stock off sale for weeks. Mollie is
# told the same deadline (the payment's dueDate), so the transfer cannot be paid after it.
SHOP_PAYMENT_TIMEOUT_MINUTES = env.int("SHOP_PAYMENT_TIMEOUT_MINUTES", default=120)
SHOP_BANKTRANSFER_TIMEOUT_MINUTES = env.int("SHOP_BANKTRANSFER_TIMEOUT_MINUTES", default=5 * 24 * 60)
# A payment still open this long after its last check is fetched again from Mollie
# (a shopper who paid in a banking app and never came back still gets the order).
SHOP_PAYMENT_RECONCILE_AFTER_MINUTES = env.int("SHOP_PAYMENT_RECONCILE_AFTER_MINUTES", default=10)
# Mollie's webhook: deliveries one payment id may make per minute before it is told to retry later (429).
# Mollie sends one per change and retries failures minutes to hours apart; repeats while a sync is queued
# are coalesced, and every sync fetches the whole state, so a flood of one id delays nothing it carries.
SHOP_MOLLIE_WEBHOOK_RATE = env.int("SHOP_MOLLIE_WEBHOOK_RATE", default=10)

# --- Shipments and carriers -----------------------------------------------------
# Each carrier's tracking API and the secret that authenticates its pushes to
# /fulfilment/carriers/<code>/push/. The defaults point at the carrier simulator that dev's
# runserver starts (shop/devtools/carriers, listening at CARRIER_SIMULATOR_URL); production sets
# real URLs and keys.
CARRIER_SIMULATOR_URL = env("CARRIER_SIMULATOR_URL", default="http://127.0.0.1:8002")
SHOP_CARRIERS = {
    "postnl": {
        "API_URL": env("POSTNL_API_URL", default=f"{CARRIER_SIMULATOR_URL}/postnl"),
        "API_KEY": env("POSTNL_API_KEY", default="simulator-postnl-key"),
        "PUSH_SECRET": env("POSTNL_PUSH_SECRET", default="simulator-postnl-push-secret"),
    },
    "dhl": {
        "API_URL": env("DHL_API_URL", default=f"{CARRIER_SIMULATOR_URL}/dhl"),
        "API_KEY": env("DHL_API_KEY", default="simulator-dhl-key"),
        "PUSH_SECRET": env("DHL_PUSH_SECRET", default="simulator-dhl-push-secret"),
    },
}
# Open shipments are polled this often (minutes) by the `tracking` queue; pushes arrive in between.
SHOP_TRACKING_POLL_MINUTES = env.int("SHOP_TRACKING_POLL_MINUTES", default=30)
# Parcels shipped longer ago than this are no longer polled (lost, returned or a mistyped number).
SHOP_TRACKING_GIVE_UP_DAYS = env.int("SHOP_TRACKING_GIVE_UP_DAYS", default=30)
# Working days from order to doorstep per delivery method code (the codes bootstrap_shop creates):
# the confirmation shows the window. A method missing here shows no window.
SHOP_DELIVERY_WORKING_DAYS = {
    "standard-nl": (1, 2),
    "express-nl": (1, 1),
    "standard-eu": (2, 5),
    "express-eu": (1, 2),
}
# Guests looking an order up by number and email, per 15 minutes: tries per client (an IPv6 /64 is one
# client), and misses per order number before the page only offers to email the link (shop/orders/lookup.py).
SHOP_ORDER_LOOKUP_RATE = env.int("SHOP_ORDER_LOOKUP_RATE", default=10)
# Pushes a carrier may send per minute from one address before it is told to slow down (429).
SHOP_CARRIER_PUSH_RATE = env.int("SHOP_CARRIER_PUSH_RATE", default=300)
# Placing an order holds stock, creates a payment at Mollie and emails the address typed in:
# orders one client address may place per hour, and orders one email address may have waiting
# for payment at once (counted in the database, so paying or canceling one frees its place).
SHOP_CHECKOUT_RATE = env.int("SHOP_CHECKOUT_RATE", default=10)
SHOP_UNPAID_ORDERS_PER_EMAIL = env.int("SHOP_UNPAID_ORDERS_PER_EMAIL", default=3)
# Voucher codes one client address may try per 15 minutes (codes are guessable by brute force).
SHOP_VOUCHER_RATE = env.int("SHOP_VOUCHER_RATE", default=10)
# Per client (an IPv6 /64 is one) a minute, past which the 429 page answers: keyword searches, and apart from
# them the search box's suggestions (a request per pause in typing); products added to a basket (each writes a
# basket line). Far above what a person does, since many shoppers may share one address (offices, mobile NAT).
SHOP_SEARCH_RATE = env.int("SHOP_SEARCH_RATE", default=120)
SHOP_BASKET_ADD_RATE = env.int("SHOP_BASKET_ADD_RATE", default=60)

# --- Content-Security-Policy (django-csp; shop/accounts/content_policy.py) --------------------------
# The storefront runs no script but the shop's own files and the inline scripts its templates mark with the
# request's nonce; no plugin, no <base>, no framing, and forms post only to the shop and to Mollie's hosted
# payment page (shop.accounts.content_policy adds that host, and the Mollie simulator's in dev and tests, from the
# settings:
# Chrome applies form-action to the redirect that follows "Place order and pay"). Style attributes stay
# allowed (Oscar's templates use them); <style> elements need the nonce. CSP_REPORT_ONLY=true sends the same
# policies as Content-Security-Policy-Report-Only, to try a change on a live shop without breaking it.
SHOP_CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
# Video blocks (cms/blocks.py, cms/product_blocks.py) embed YouTube and Vimeo players.
SHOP_CSP_VIDEO_FRAMES = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# Oscar's inline event handlers that only go back or print (forms' "cancel", the thank-you page's "Print"),
# allowed by their exact text and nothing else ('unsafe-hashes').
SHOP_CSP_ALLOWED_HANDLERS = [
    "'sha256-NqaPugiVKFsqU2P8L2sjJSLsiSKaQB+C9S5V0ZiRxfc='",  # window.history.go(-1);return false
    "'sha256-gZHW0ZTdDBnW8n/Qf9lGuwm2LvPkTQwflpfLAabDyMQ='",  # history.go(-1);return false
    "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",  # window.print()
]
SHOP_CSP_STOREFRONT = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "script-src-attr": [UNSAFE_HASHES, *SHOP_CSP_ALLOWED_HANDLERS],
    "style-src": [SELF, NONCE],
    "style-src-attr": [UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": SHOP_CSP_VIDEO_FRAMES,
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# Wagtail's editor (/cms/), Oscar's dashboard and Django admin run inline scripts and styles of their own: still
# nothing from other hosts, no plugin, framed only by the shop itself (Wagtail's previews).
SHOP_CSP_STAFF = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF, *SHOP_CSP_VIDEO_FRAMES],
    "worker-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
# django-csp's own setting holds the storefront's policy, enforced or report-only.
if SHOP_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": SHOP_CSP_STOREFRONT}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": SHOP_CSP_STOREFRONT}

# --- Security defaults (tightened further in production.py) ------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A cached page's form posted without its token (no JavaScript) asks to confirm, then posts again with one.
CSRF_FAILURE_VIEW = "shop.pagecache.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"  # Wagtail's editor gets SAMEORIGIN (CmsSameOriginFramesMiddleware)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

PROMETHEUS_EXPORT_MIGRATIONS = False

LOG_LEVEL = env("LOG_LEVEL", default="INFO")


def log_format_from_env(default: str) -> str:
    value = env("LOG_FORMAT", default=default)
    if value not in ("console", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be console or json, not {value!r}.")
    return value


# Every line is structured (shop/observability/logging.py): `console` renders it for people, `json` as one
# object per line for a log store (production's default). Both mask secrets and email addresses.
LOG_FORMAT = log_format_from_env("console")
LOGGING_CONFIG = "shop.observability.logging.logging_configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"()": "shop.observability.logging.console_formatter"},
        "json": {"()": "shop.observability.logging.json_formatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "PIL": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "apscheduler": {"level": "WARNING"},  # a line per job run; our task logs say what ran
        "shop.audit": {"level": "INFO"},  # the account audit trail (shop/accounts/audit.py)
        # runserver's access lines: through the same formatter (and redaction) instead of Django's own handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
# django-structlog: the request id and the client's address are the shop's own (shop/observability/).
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = False
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False

# Where the reverse proxies are: only requests from them may say, in X-Forwarded-For, who the client is
# (shop/http/clients.py; how many proxies: ALLAUTH_TRUSTED_PROXY_COUNT). Production has no default: it must be
# stated, empty for none. Throttles group IPv6 clients by ALLAUTH_RATE_LIMIT_IPV6_PREFIX (allauth's, 64).
SHOP_TRUSTED_PROXIES = env.list("SHOP_TRUSTED_PROXIES", default=["127.0.0.1/32", "::1/128"])
# /metrics answers these networks only (Prometheus scrapers); everyone else gets 403.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])

# Errors (web requests and tasks) go to Sentry when SENTRY_DSN is set, without personal data
# (shop/observability/sentry.py); unset, the SDK is not started. Here, before the broker exists (see that module).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
