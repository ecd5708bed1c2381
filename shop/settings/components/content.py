"""Content: Wagtail, search (haystack and Oscar's facets), static files, media and storage."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from shop.infrastructure.storage import ObjectStorage, filesystem_storages

from .commerce import SHOP_NAME
from .environment import BASE_DIR, env

# --- Search -------------------------------------------------------------------
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
# The files sit in the private bucket (MEDIA_STORAGE=s3) or under MEDIA_ROOT/documents/, which the web server
# must not serve (docs/security.md).
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
# Where media and private files live (shop/infrastructure/storage.py says why): `filesystem` (MEDIA_ROOT and
# PRIVATE_MEDIA_ROOT, one host only) or `s3` (a public and a private bucket; any number of hosts). Production
# must state it (production.py).
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Receipts and credit notes: never under MEDIA_URL; a view checks who asks before serving one.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
_STATICFILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
if MEDIA_STORAGE == "s3":
    _OBJECT_STORAGE = ObjectStorage.from_environ(os.environ)
    MEDIA_URL = _OBJECT_STORAGE.public_base_url()
    STORAGES = _OBJECT_STORAGE.storages(staticfiles=_STATICFILES)
elif MEDIA_STORAGE == "filesystem":
    MEDIA_URL = "/media/"
    STORAGES = filesystem_storages(private_root=PRIVATE_MEDIA_ROOT, staticfiles=_STATICFILES)
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
# sorl-thumbnail builds its storage from a class path without options: one that follows STORAGES["default"].
THUMBNAIL_STORAGE = "shop.infrastructure.storage.DefaultStorage"
