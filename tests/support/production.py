"""The environment production settings require, with dummy values: enough for `django.setup()` and `check`."""

PRODUCTION_ENV = {
    "SECRET_KEY": "a" * 20 + "-production-like-secret-key-0123456789-abcdefghij",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/shop",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "ALLOWED_HOSTS": "shop.example.com",
    "SHOP_BASE_URL": "https://shop.example.com",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "DEFAULT_FROM_EMAIL": "shop@example.com",
    "MOLLIE_API_KEY": "live_abcdefghijklmnopqrstuvwxyz0123",
    "POSTNL_API_KEY": "postnl-key",
    "POSTNL_PUSH_SECRET": "postnl-push-secret",
    "DHL_API_KEY": "dhl-key",
    "DHL_PUSH_SECRET": "dhl-push-secret",
    "SHOP_TRUSTED_PROXIES": "10.0.0.2/32",
}
