"""Wagtail is the one content system: Oscar's dashboard pages and Django's flatpages no longer run beside it."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.test import Client

from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db


def test_the_dashboard_has_no_pages_section():
    user_with_login("boss@example.com", is_staff=True).__class__.objects.filter(email="boss@example.com").update(
        is_superuser=True
    )
    staff = Client()
    login(staff, "boss@example.com")

    dashboard = staff.get("/shop/dashboard/")
    assert dashboard.status_code == 200
    assert "/shop/dashboard/pages/" not in dashboard.content.decode()
    assert "/shop/dashboard/comms/" in dashboard.content.decode()  # the rest of the Content menu stays
    assert staff.get("/shop/dashboard/pages/").status_code == 404
    assert staff.get("/shop/dashboard/pages/create/").status_code == 404


def test_a_flatpage_left_in_the_database_is_not_served(client):
    page = FlatPage.objects.create(url="/old-about/", title="Old about", content="<p>Old</p>")
    page.sites.add(Site.objects.get_current())

    assert client.get("/old-about/").status_code == 404
