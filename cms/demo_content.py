"""Editorial demo content: the home page's hero and picks, the top category pages' intros, the about page, and
the story, gallery, FAQ and download of a few products."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents.models import Document
from wagtail.images.models import Image

from .models import CategoryPage, ContentPage, HomePage, ProductContent


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
        about = home.add_child(
            instance=ContentPage(
                title="About us",
                slug="about",
                intro="A small shop with a big catalogue, run by people who care about what they sell.",
                body=[("paragraph", "<p>This demo shop runs on Django, Wagtail and django-oscar.</p>")],
                show_in_menus=True,
            )
        )
        about.save_revision().publish()  # published as an editor would: dated (the sitemap's lastmod)


def demo_product_content_ensure(*, products: list, pictures: list[bytes]) -> None:
    """Published content for `products` that have none. No video: an embed asks YouTube, and the demo runs offline."""
    gallery = [_image(f"Demo product scene {n}", f"demo-scene-{n}.jpg", data) for n, data in enumerate(pictures)]
    guide = _document("Care and use guide", "care-and-use.txt", CARE_GUIDE)
    for product in products:
        if ProductContent.objects.filter(product=product).exists():
            continue
        content = ProductContent(product=product, body=_demo_blocks(product.title, gallery, guide))
        content.save()
        content.save_revision().publish()


CARE_GUIDE = b"Care and use\n\nWipe clean with a soft, dry cloth. Keep out of direct sunlight.\n"


def _demo_blocks(title: str, gallery: list[Image], guide: Document) -> list:
    return [
        (
            "text",
            f"<h3>Why we chose {title}</h3><p>We tried a dozen and kept this one: it is <b>well made</b>, "
            "easy to live with and fairly priced. Our team has used it every day for months.</p>",
        ),
        ("gallery", {"title": "In use", "images": [{"image": image, "caption": ""} for image in gallery]}),
        (
            "faq",
            {
                "title": "Frequently asked questions",
                "questions": [
                    {
                        "question": "When will it arrive?",
                        "answer": "<p>In the Netherlands in 1–2 working days; with express delivery, ordered "
                        "before 22:00, the next working day.</p>",
                    },
                    {"question": "Can I return it?", "answer": "<p>Yes, within 14 days of delivery.</p>"},
                ],
            },
        ),
        ("downloads", {"title": "Downloads", "files": [{"document": guide, "label": ""}]}),
    ]


def _document(title: str, filename: str, content: bytes) -> Document:
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title, file=ContentFile(content, name=filename))
        document.save()
    return document


def _image(title: str, filename: str, content: bytes) -> Image:
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, file=ImageFile(io.BytesIO(content), name=filename))
        image.save()
    return image
