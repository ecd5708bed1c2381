"""Oscar's category tree leads; one Wagtail category page follows each category, one way."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.bootstrap import home_page_ensure
from cms.models import CategoryPage, ContentPage

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return home_page_ensure()


def page_of(category) -> CategoryPage:
    return CategoryPage.objects.get(category=category)


def live_orphans():
    return CategoryPage.objects.filter(category__isnull=True, live=True)


def test_a_new_root_and_child_category_get_live_pages_under_the_right_parents(home, client):
    books = Category.add_root(name="Books")
    crime = books.add_child(name="Crime & Thrillers")

    books_page, crime_page = page_of(books), page_of(crime)
    assert books_page.get_parent().pk == home.pk
    assert crime_page.get_parent().pk == books_page.pk
    assert (books_page.title, books_page.slug) == ("Books", "books")
    assert (crime_page.title, crime_page.slug) == ("Crime & Thrillers", "crime-thrillers")
    assert books_page.live and crime_page.live
    response = client.get("/books/crime-thrillers/")
    assert response.status_code == 200
    assert "Crime &amp; Thrillers" in response.content.decode()


def test_a_renamed_category_renames_its_page_and_the_old_address_redirects(
    home, client, django_capture_on_commit_callbacks
):
    books = Category.add_root(name="Books")
    fiction = books.add_child(name="Fiction")

    with django_capture_on_commit_callbacks(execute=True):  # Wagtail makes the redirect once the rename commits
        books.name, books.slug = "Books & Comics", "books-comics"
        books.save()

    assert (page_of(books).title, page_of(books).slug) == ("Books & Comics", "books-comics")
    assert client.get("/books-comics/fiction/").status_code == 200, "the pages below follow"
    assert Redirect.objects.filter(old_path="/books", redirect_page=page_of(books)).exists()
    for old, new in [("/books/", "/books-comics/"), ("/books/fiction/", "/books-comics/fiction/")]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
    assert page_of(fiction).title == "Fiction"


def test_a_moved_category_moves_its_page_and_the_old_address_redirects(home, client):
    books, garden = Category.add_root(name="Books"), Category.add_root(name="Garden")
    plants = books.add_child(name="Plants")
    roses = plants.add_child(name="Roses")

    Category.objects.get(pk=plants.pk).move(garden, pos="last-child")  # treebeard: no save(), the fork's signal

    assert page_of(plants).get_parent().pk == page_of(garden).pk
    assert page_of(roses).get_parent().pk == page_of(plants).pk
    assert client.get("/garden/plants/roses/").status_code == 200
    assert client.get("/books/plants/roses/")["Location"] == "/garden/plants/roses/"


def test_a_category_moved_next_to_a_namesake_gets_a_free_slug(home):
    books, garden = Category.add_root(name="Books"), Category.add_root(name="Garden")
    books.add_child(name="Tools")
    garden_tools = garden.add_child(name="Tools")

    Category.objects.get(pk=garden_tools.pk).move(books, pos="last-child")

    slugs = sorted(page.slug for page in CategoryPage.objects.child_of(page_of(books)))
    assert slugs == ["tools", "tools-2"]


def test_a_deleted_category_unpublishes_its_pages_and_leaves_no_published_orphan(home, client):
    books = Category.add_root(name="Books")
    fiction = books.add_child(name="Fiction")
    fiction_page = page_of(fiction)
    guide = fiction_page.add_child(instance=ContentPage(title="Reading guide", slug="reading-guide"))
    assert client.get("/books/fiction/reading-guide/").status_code == 200

    Category.objects.get(pk=books.pk).delete()  # Oscar's tree delete: the category and all below it

    assert not Category.objects.exists()
    assert not live_orphans().exists()
    for path in ["/books/", "/books/fiction/", "/books/fiction/reading-guide/"]:
        assert client.get(path).status_code == 404, path
    fiction_page.refresh_from_db()
    assert fiction_page.category_id is None and not fiction_page.live, "kept for recovery, unpublished"
    assert not Page.objects.get(pk=guide.pk).live, "editors' pages below go offline too"


def test_a_category_made_again_after_a_delete_gets_its_address_back(home, client):
    Category.add_root(name="Books").delete()
    books = Category.add_root(name="Books")

    assert page_of(books).slug == "books"
    assert client.get("/books/").status_code == 200
    retired = CategoryPage.objects.get(category__isnull=True)
    assert retired.slug.startswith("books-retired-") and not retired.live


def test_a_hidden_category_unpublishes_its_page(home, client):
    books = Category.add_root(name="Books")
    fiction = books.add_child(name="Fiction")

    books.is_public = False
    books.save()

    assert not page_of(books).live and not page_of(fiction).live
    assert client.get("/books/fiction/").status_code == 404
    assert not page_of(Category.add_root(name="Secret", is_public=False)).live, "a new hidden category: a draft"


def test_slugs_taken_by_pages_routes_or_the_sites_own_urls_get_a_suffix(home):
    home.add_child(instance=ContentPage(title="About", slug="about"))
    about, shop = Category.add_root(name="About"), Category.add_root(name="Shop")
    products = Category.add_root(name="Books").add_child(name="Products")

    assert page_of(about).slug == "about-2"
    assert page_of(shop).slug == "shop-2", "/shop/ is Oscar's"
    assert page_of(products).slug == "products-2", "/books/products/ is the category's listing"


def test_an_editors_draft_is_renamed_with_the_page(home):
    books = Category.add_root(name="Books")
    draft = page_of(books)
    draft.intro = "<p>New intro, not yet published</p>"
    draft.save_revision()

    books.name = "Books & Comics"
    books.save()
    page_of(books).get_latest_revision().publish()

    page = page_of(books)
    assert (page.title, page.intro) == ("Books & Comics", "<p>New intro, not yet published</p>")


def test_without_a_home_page_no_pages_are_made_and_nothing_fails():
    Category.add_root(name="Books")

    assert not CategoryPage.objects.exists()


def test_a_failing_sync_never_fails_the_category_save_and_the_repair_catches_up(home, monkeypatch, caplog):
    import cms.category_pages

    def broken(**kwargs):
        raise RuntimeError("Wagtail is having a bad day")

    monkeypatch.setattr(cms.category_pages, "_page_create", broken)
    with caplog.at_level(logging.ERROR, logger="cms.receivers"):
        books = Category.add_root(name="Books")
    assert Category.objects.filter(pk=books.pk).exists()
    assert not CategoryPage.objects.exists()
    assert "sync_category_pages" in caplog.text
    monkeypatch.undo()

    out = StringIO()
    call_command("sync_category_pages", stdout=out, verbosity=0)

    assert page_of(books).live
    assert "1 created" in out.getvalue()


def test_the_repair_command_creates_missing_pages_fixes_drift_and_reports_counts(home):
    books = Category.add_root(name="Books")
    fiction = books.add_child(name="Fiction")
    books.add_child(name="Travel")
    page_of(fiction).delete()  # an editor deleted a page in Wagtail
    Category.objects.filter(pk=books.pk).update(name="Books & Maps")  # a queryset update: no signal
    toys = Category.add_root(name="Toys")
    CategoryPage.objects.filter(category=toys).update(category=None)  # as if retiring it had failed
    toys.delete()

    out = StringIO()
    call_command("sync_category_pages", stdout=out, verbosity=0)

    report = out.getvalue()
    assert "1 created, 1 updated, 1 unchanged" in report and "1 retired, 0 failed" in report
    assert page_of(books).title == "Books & Maps"
    assert page_of(fiction).get_parent().pk == page_of(books).pk
    assert not live_orphans().exists()

    out = StringIO()
    call_command("sync_category_pages", stdout=out, verbosity=0)
    assert "0 created, 0 updated, 3 unchanged" in out.getvalue()


def test_an_editor_publishes_a_category_pages_content_but_not_its_title_or_slug(home, client):
    from django.contrib.auth import get_user_model
    from wagtail.test.utils.form_data import querydict_from_html, rich_text

    from tests.support.users import login, user_with_login

    user_with_login("editor@example.com", is_staff=True)
    get_user_model().objects.filter(email="editor@example.com").update(is_superuser=True)
    login(client, "editor@example.com")
    books = Category.add_root(name="Books")
    edit_url = f"/cms/pages/{page_of(books).pk}/edit/"

    form = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    form["intro"] = rich_text("<p>Read more this winter.</p>")
    form["body-count"] = "0"  # the StreamField's editor is drawn by script
    form["title"], form["slug"] = "Hacked", "hacked"  # read-only: ignored
    form["action-publish"] = "action-publish"
    response = client.post(edit_url, form)

    assert response.status_code == 302, response.content.decode()[:3000]
    page = page_of(books)
    assert (page.title, page.slug, page.live) == ("Books", "books", True)
    assert "Read more this winter." in page.intro
    assert "Read more this winter." in client.get("/books/").content.decode()
