"""Where each staff area of the site is mounted: the one place its URL prefix is written. shop/urls.py mounts
the areas here; the staff policy (second factor, idle timeout), the Content-Security-Policy and the editor's
same-origin frames recognise them by the same prefixes."""

SHOP = "shop/"  # Oscar: the storefront, checkout and accounts, with its dashboard below
ACCOUNTS = "accounts/"  # allauth: sign-in, sign-up, password, email, second factor, sessions
DASHBOARD = SHOP + "dashboard/"  # Oscar's dashboard: orders, stock, refunds, parcels
CMS = "cms/"  # Wagtail's editor
DJANGO_ADMIN = "django-admin/"  # superusers only

# As request.path_info starts (the path inside the site, whatever SCRIPT_NAME a proxy sets).
STAFF_AREAS = tuple(f"/{prefix}" for prefix in (DASHBOARD, CMS, DJANGO_ADMIN))
CMS_AREA = f"/{CMS}"
