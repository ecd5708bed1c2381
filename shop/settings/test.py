"""Settings for the test suite: PostgreSQL and Redis over real connections."""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")  # the cache; flushed before every test
# The broker takes REDIS_URL's neighbouring database unless BROKER_URL is set (components/tasks.py): /14 here.

from .base import *  # noqa: E402,F403
from .base import INSTALLED_APPS, env  # noqa: E402

# The simulators the tests run against (shop/devtools), placed as in dev.py.
INSTALLED_APPS = [*INSTALLED_APPS]
INSTALLED_APPS.insert(INSTALLED_APPS.index("django.contrib.staticfiles"), "shop.devtools")

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # nosec B105  # the test suite's key, never a deployment's
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SHOP_IN_PROCESS_WORKER = False
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
_tmp = tempfile.mkdtemp(prefix="shop-test-")
MEDIA_ROOT = os.path.join(_tmp, "media")
PRIVATE_MEDIA_ROOT = os.path.join(_tmp, "private")
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "shop.infrastructure.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
}

LOGGING["loggers"]["mail.log"] = {"level": "WARNING"}  # noqa: F405  (aiosmtpd's chatter in the SMTP tests)
