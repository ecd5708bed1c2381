"""Embedded defaults for `make run`: SQLite, Whoosh, in-process tasks, console email."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-3b1f0e9c2a7d4e5f8a6b")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_DELIVERY_BACKEND = env("EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Demo products share pooled pictures: deleting one product must not delete the file.
OSCAR_DELETE_IMAGE_FILES = False
