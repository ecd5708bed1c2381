"""Categories managed in Oscar's dashboard: every step works, and the Wagtail pages follow."""

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from cms.bootstrap import home_page_ensure
from cms.models import CategoryPage
from tests.support.users import login, user_with_login

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db

DASHBOARD = "/shop/dashboard/catalogue/categories"


@pytest.fixture
def superuser_client(client):
    user_with_login("boss@example.com", is_staff=True)
    get_user_model().objects.filter(email="boss@example.com").update(is_superuser=True)
    login(client, "boss@example.com")
    return client


def post_ok(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def category_form(name, *, parent=None, position="first-child"):
    return {
        "name": name,
        "slug": "",
        "is_public": "on",
        "treebeard_position": position,
        "treebeard_ref_node": parent.pk if parent else "",
    }


def test_a_superuser_creates_renames_moves_and_deletes_categories_and_the_pages_follow(
    superuser_client, client, caplog
):
    home = home_page_ensure()
    dashboard = superuser_client

    post_ok(dashboard, f"{DASHBOARD}/create/", category_form("Garden"))
    garden = Category.objects.get(name="Garden")
    post_ok(dashboard, f"{DASHBOARD}/create/{garden.pk}/", category_form("Tools", parent=garden))
    tools = Category.objects.get(name="Tools")
    assert CategoryPage.objects.get(category=garden).get_parent().pk == home.pk
    assert CategoryPage.objects.get(category=tools).get_parent().pk == CategoryPage.objects.get(category=garden).pk
    assert dashboard.get(f"{DASHBOARD}/{garden.pk}/").status_code == 200

    post_ok(dashboard, f"{DASHBOARD}/{tools.pk}/update/", category_form("Hand tools", parent=garden))
    assert CategoryPage.objects.get(category=tools).slug == "hand-tools"
    assert client.get("/garden/hand-tools/").status_code == 200

    post_ok(dashboard, f"{DASHBOARD}/create/", category_form("Workshop", parent=garden, position="right"))
    workshop = Category.objects.get(name="Workshop")
    assert workshop.is_root(), "created as the garden's sibling"
    assert CategoryPage.objects.get(category=workshop).get_parent().pk == home.pk
    post_ok(dashboard, f"{DASHBOARD}/{tools.pk}/update/", category_form("Hand tools", parent=workshop))
    assert Category.objects.get(pk=tools.pk).get_parent() == workshop
    assert CategoryPage.objects.get(category=tools).get_parent().pk == CategoryPage.objects.get(category=workshop).pk
    assert client.get("/workshop/hand-tools/").status_code == 200

    post_ok(dashboard, f"{DASHBOARD}/{workshop.pk}/delete/", {})
    assert not Category.objects.filter(pk__in=[workshop.pk, tools.pk]).exists()
    assert not CategoryPage.objects.filter(category__isnull=True, live=True).exists()
    assert client.get("/workshop/hand-tools/").status_code == 404
    assert client.get("/garden/").status_code == 200
    assert not [record for record in caplog.records if record.name == "cms.receivers"], "every sync succeeded"
