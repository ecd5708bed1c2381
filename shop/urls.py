import re

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path
from django.views.defaults import page_not_found
from django.views.generic import RedirectView
from django.views.i18n import set_language
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.views import category_redirect, robots_txt, sitemap, sitemap_section
from shop.accounts.views import SessionListView, personal_data_download, session_sign_out
from shop.communications.dashboard import OrderEmailResendView
from shop.fulfilment.dashboard import ShipmentCreateView, UnshippedCancelView
from shop.fulfilment.views import carrier_push
from shop.http.areas import ACCOUNTS, CMS, DASHBOARD, DJANGO_ADMIN, SHOP
from shop.monitoring.views import healthz, metrics, readyz
from shop.orders.views import order_lookup
from shop.pagecache.posts import same_origin_post
from shop.pagecache.views import visitor
from shop.payments.dashboard import OrderCancelView, RefundCreateView
from shop.payments.views import mollie_webhook
from shop.receipts.views import receipt_download


def to_allauth(url_name):
    """Send one of Oscar's own identity URLs to allauth, keeping ?next=."""
    return RedirectView.as_view(pattern_name=url_name, query_string=True, permanent=False)


# allauth is the only door: Oscar's, Wagtail's and Django admin's own login, registration, logout and
# password URLs lead there. They are listed before the apps' own, so they win.
side_doors = [
    path("shop/accounts/login/", to_allauth("account_login")),
    path("shop/accounts/register/", to_allauth("account_signup")),
    path("shop/accounts/logout/", to_allauth("account_logout")),
    path("shop/accounts/change-password/", to_allauth("account_change_password")),
    re_path(r"^shop/password-reset/", to_allauth("account_reset_password")),
    path(f"{DASHBOARD}login/", to_allauth("account_login")),
    path(f"{DASHBOARD}logout/", to_allauth("account_logout")),
    path(f"{CMS}login/", to_allauth("account_login")),
    path(f"{CMS}logout/", to_allauth("account_logout")),
    re_path(rf"^{CMS}password_reset/", to_allauth("account_reset_password")),
    path(f"{DJANGO_ADMIN}login/", to_allauth("account_login")),
    path(f"{DJANGO_ADMIN}logout/", to_allauth("account_logout")),
    re_path(rf"^{DJANGO_ADMIN}password_change/", to_allauth("account_change_password")),
]

# Wagtail is the one content system: Oscar's dashboard pages (flatpages) are switched off.
retired = [re_path(rf"^{DASHBOARD}pages/", page_not_found, {"exception": Http404()})]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="prometheus-django-metrics"),
    path("payments/mollie/webhook/", mollie_webhook, name="mollie-webhook"),
    path("fulfilment/carriers/<slug:carrier>/push/", carrier_push, name="carrier-push"),
    path("shop/receipts/<str:number>/", receipt_download, name="receipt-download"),
    path("shop/order-lookup/", order_lookup, name="order-lookup"),
    path("shop/visitor/", visitor, name="shop-visitor"),  # per-visitor state for cached pages
    path("shop/search/", include("shop.search.urls")),  # autocomplete; Oscar's search page is shop/search/ itself
    # allauth's sessions page, with devices named and a "Sign out" per session (same URL, listed first).
    path("accounts/sessions/", SessionListView.as_view()),
    path("accounts/sessions/<int:pk>/sign-out/", session_sign_out, name="usersession-sign-out"),
    path("accounts/my-data/", personal_data_download, name="personal-data-download"),
    path(ACCOUNTS, include("allauth.urls")),
    # The language form is on every cached page, without a CSRF token (shop/pagecache/posts.py).
    path("i18n/setlang/", same_origin_post(set_language), name="set_language"),
    *side_doors,
    *retired,
    path(DJANGO_ADMIN, admin.site.urls),
    path(f"{DASHBOARD}orders/<str:number>/refunds/", RefundCreateView.as_view(), name="dashboard-order-refund"),
    path(f"{DASHBOARD}orders/<str:number>/cancel/", OrderCancelView.as_view(), name="dashboard-order-cancel"),
    path(f"{DASHBOARD}orders/<str:number>/shipments/", ShipmentCreateView.as_view(), name="dashboard-order-ship"),
    path(f"{DASHBOARD}orders/<str:number>/emails/", OrderEmailResendView.as_view(), name="dashboard-order-resend"),
    path(
        f"{DASHBOARD}orders/<str:number>/unshipped/cancel/",
        UnshippedCancelView.as_view(),
        name="dashboard-order-unshipped-cancel",
    ),
    # A category's Wagtail page is its canonical address: Oscar's category URL leads there when it is live.
    re_path(r"^shop/catalogue/category/(?P<category_slug>[\w-]+(/[\w-]+)*)_(?P<pk>\d+)/$", category_redirect),
    path(SHOP, include(apps.get_app_config("oscar").urls[0])),
    path(CMS, include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),  # ?p=2 and on: its next files
    path("robots.txt", robots_txt, name="robots-txt"),
]

if settings.DEBUG and settings.MEDIA_STORAGE == "filesystem":
    # runserver serves uploads on disk itself, except documents: those go through Wagtail's view (collection privacy,
    # CSP, attachment), as in production, where the web server must not serve MEDIA_ROOT/documents/ either.
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media}(?!documents/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Wagtail's catch-all comes last.
urlpatterns += [path("", include(wagtail_urls))]
