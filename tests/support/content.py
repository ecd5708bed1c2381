"""Product content for tests: real Wagtail images and documents, cached video embeds, published content."""

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image

from cms.bootstrap import wagtail_tree_ensure
from cms.models import ProductContent
from shop.demo.images import draw_picture


def picture(title: str, seed: int = 1) -> Image:
    wagtail_tree_ensure()  # the root collection, which a transactional test's flush may have taken
    image = Image(title=title, file=ImageFile(ContentFile(draw_picture(seed, size=200)), name=f"{title}.jpg"))
    image.save()
    return image


def document(title: str) -> Document:
    wagtail_tree_ensure()
    doc = Document(title=title, file=ContentFile(b"%PDF-1.4 a manual", name=f"{title}.pdf"))
    doc.save()
    return doc


def cached_embed(url: str) -> Embed:
    """The embed as Wagtail stores it after asking the provider once: tests never call YouTube."""
    video_id = url.rsplit("=", 1)[-1]
    return Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html=f'<iframe src="https://www.youtube-nocookie.com/embed/{video_id}" title="video"></iframe>',
        provider_name="YouTube",
        width=640,
        height=360,
    )


def blocks_of_every_kind(*, tag: str, seed: int = 1) -> list:
    """A long description, a gallery of two pictures, a video, an FAQ and a download; `tag` marks their text."""
    url = f"https://www.youtube.com/watch?v={tag}"
    if not Embed.objects.filter(url=url).exists():
        cached_embed(url)
    return [
        ("text", f"<p>The story of {tag}.</p>"),
        (
            "gallery",
            {
                "title": "In use",
                "images": [
                    {"image": picture(f"{tag} kitchen", seed), "caption": f"{tag} in the kitchen"},
                    {"image": picture(f"{tag} garden", seed + 1), "caption": ""},
                ],
            },
        ),
        ("video", {"video": url, "caption": f"Unboxing {tag}"}),
        ("faq", {"title": "FAQ", "questions": [{"question": f"Does {tag} fold?", "answer": "<p>Yes.</p>"}]}),
        ("downloads", {"title": "Downloads", "files": [{"document": document(f"{tag} manual"), "label": "Manual"}]}),
    ]


def published_content(product, body) -> ProductContent:
    content = ProductContent(product=product, body=body)
    content.save()
    content.save_revision().publish()
    return content
