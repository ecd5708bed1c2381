"""`bootstrap_shop` creates the reference data production needs, and reruns change nothing."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from oscar.core.loading import get_model
from wagtail.models import GroupPagePermission, Site

from cms.models import ContentPage, HomePage, ShopSettings

Country = get_model("address", "Country")


def test_bootstrap_creates_the_shop_skeleton_once(db):
    call_command("bootstrap_shop", stdout=open("/dev/null", "w"))
    call_command("bootstrap_shop", stdout=open("/dev/null", "w"))

    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    legal = ContentPage.objects.child_of(home).order_by("path")
    assert [page.slug for page in legal] == ["terms", "privacy", "imprint", "shipping-and-returns"]
    footer = ShopSettings.for_site(site).footer_links.all()
    assert [link.href for link in footer] == [page.url for page in legal]
    assert not any(page.live for page in legal)  # drafts outside dev: tests/cms/test_legal_pages.py

    assert Country.objects.filter(is_shipping_country=True).count() == 27
    assert Country.objects.get(iso_3166_1_a2="NL").is_shipping_country

    merchandisers = Group.objects.get(name="Merchandisers")
    assert merchandisers.permissions.filter(codename="access_admin").exists()
    assert GroupPagePermission.objects.filter(group=merchandisers, page=home).count() == 3
    staff = Group.objects.get(name="Shop staff")
    assert staff.permissions.filter(codename="change_order").exists()
