"""Editorial demo content: the home page's hero and picks, the top category pages' intros, the about page."""

import io

from django.core.files.images import ImageFile
from wagtail.images.models import Image

from .models import CategoryPage, ContentPage, HomePage


def demo_pages_ensure(*, home: HomePage, featured_products: list, top_categories, hero_picture: bytes) -> None:
    if not home.hero_text:
        home.hero_title = "Good things, delivered tomorrow"
        home.hero_text = "Books, gadgets, homeware, clothing and groceries, picked by people who use them."
        home.hero_cta_text = "Browse all products"
        home.hero_image = _image("Demo hero", "demo-hero.jpg", hero_picture)
        home.body = [
            ("products", {"title": "Featured products", "products": featured_products}),
            ("paragraph", "<p>Every price includes VAT. Free delivery in the Netherlands from €50.</p>"),
        ]
        home.save_revision().publish()
    # Every category has its page already (the category sync); the top ones get an editor's intro.
    for page in CategoryPage.objects.filter(category__in=top_categories, intro=""):
        page.intro = f"<p>Our favourite {page.category.name.lower()}, chosen for quality and value.</p>"
        page.save()
    if not ContentPage.objects.child_of(home).filter(slug="about").exists():
        home.add_child(
            instance=ContentPage(
                title="About us",
                slug="about",
                intro="A small shop with a big catalogue, run by people who care about what they sell.",
                body=[("paragraph", "<p>This demo shop runs on Django, Wagtail and django-oscar.</p>")],
                show_in_menus=True,
            )
        )


def _image(title: str, filename: str, content: bytes) -> Image:
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, file=ImageFile(io.BytesIO(content), name=filename))
        image.save()
    return image
