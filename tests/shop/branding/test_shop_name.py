"""The shop's name has one source, the editors' setting (shop/branding): a rename in Wagtail reaches every place
that prints the name, and no code or template reads a name of its own (issue 17)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from oscar.core.loading import get_class, get_model
from wagtail.models import Site

from cms.bootstrap import home_page_ensure
from cms.models import ShopSettings
from shop.notifications.models import OutgoingEmail
from tests.shop.accounts.test_mfa import reauthenticate
from tests.support.orders import paid_order
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
NEW_NAME = "Zeppelin Supplies"

Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
AlertsDispatcher = get_class("customer.alerts.utils", "AlertsDispatcher")
# settings.SHOP_NAME, settings.OSCAR_SHOP_NAME (Oscar's `shop_name`), settings.MFA_TOTP_ISSUER (allauth's issuer)
READS_A_NAME = re.compile(r"settings\.\w*(SHOP_NAME|TOTP_ISSUER)")


def rename_the_shop(name=NEW_NAME):
    """What an editor does in Wagtail: Settings → Shop settings → Shop name."""
    home_page_ensure()  # the default site (a flush by an earlier transactional test may have taken Wagtail's)
    shop_settings = ShopSettings.for_site(Site.objects.get(is_default_site=True))
    shop_settings.shop_name = name
    shop_settings.save()


def title_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_a_rename_reaches_page_titles_the_footer_and_open_graph(demo_shop):
    rename_the_shop()
    client = Client()
    product = Product.objects.browsable().first()

    home = client.get("/")
    product_page = client.get(product.get_absolute_url())
    sign_in = client.get("/accounts/login/")

    assert title_of(home).endswith(f"| {NEW_NAME}")  # a Wagtail page
    assert NEW_NAME in title_of(product_page)  # an Oscar page
    assert title_of(sign_in).endswith(f"| {NEW_NAME}")  # an allauth page
    html = product_page.content.decode()
    assert f'<meta property="og:site_name" content="{NEW_NAME}" />' in html
    assert f"<strong>{NEW_NAME}</strong>" in html  # the footer
    for response in (home, product_page, sign_in):
        assert "Django Shop" not in response.content.decode()


def test_a_rename_reaches_account_emails(client):
    rename_the_shop()
    password = "correct-horse-battery"
    client.post("/accounts/signup/", {"email": "new@example.com", "password1": password, "password2": password})

    email = OutgoingEmail.objects.get(to=["new@example.com"])
    assert email.subject == f"Welcome to {NEW_NAME}: please confirm your email address"
    assert email.body.rstrip().endswith(f"The {NEW_NAME} team")


def test_a_rename_reaches_order_emails_and_the_mollie_description(client, lamp, mollie):
    rename_the_shop()

    order = paid_order(client, lamp)  # the emails are rendered by a worker: no request

    (create,) = [r for r in mollie.requests if (r["method"], r["path"]) == ("POST", "/v2/payments")]
    assert create["body"]["description"] == f"{NEW_NAME} order {order.number}"
    confirmation = OutgoingEmail.objects.get(to=[order.email])
    assert f"The {NEW_NAME} team" in confirmation.html_body
    assert "Django Shop" not in confirmation.html_body + confirmation.body + confirmation.subject


def test_a_rename_reaches_oscars_own_emails(lamp):
    """Oscar renders its emails (here a stock alert's confirmation) without a request: the communication fork's
    dispatcher signs them with the name."""
    rename_the_shop()
    alert = ProductAlert.objects.create(product=lamp, email="waiting@example.com")

    AlertsDispatcher().send_product_alert_confirmation_email_for_user(alert)

    confirmation = OutgoingEmail.objects.get(to=["waiting@example.com"])
    assert f"The {NEW_NAME} team" in confirmation.html_body


def test_a_rename_reaches_the_authenticator_apps_issuer():
    rename_the_shop()
    user_with_login("careful@example.com")
    browser = Client()
    login(browser, "careful@example.com")
    reauthenticate(browser)

    page = browser.get("/accounts/2fa/totp/activate/")

    assert "issuer=Zeppelin%20Supplies" in page.context["totp_url"]


def test_no_code_or_template_reads_a_shop_name_of_its_own():
    """The name is read through shop.branding only; SHOP_NAME is the setting's default and nothing else."""
    code = [
        path
        for package in ("shop", "cms", "oscar_forks")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and not any(path.is_relative_to(ROOT / owner) for owner in ("shop/settings", "shop/branding"))
    ]
    readers = [str(path.relative_to(ROOT)) for path in code if READS_A_NAME.search(path.read_text())]
    assert readers == []
    # Templates print `shop_name` (the context processor, or the context of an email a worker renders): never the
    # Wagtail setting's field, nor Django's or Wagtail's Site name.
    templates = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and re.search(r"site\.name|site_name|\.shop_name\b", path.read_text())
    ]
    assert templates == []
    assert not getattr(settings, "MFA_TOTP_ISSUER", ""), "allauth's own issuer setting would be a second name"
