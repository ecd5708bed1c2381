"""Blocks of a product's editorial content: long description, gallery, videos, FAQs, downloads.

Prices and stock never appear here: they are Oscar's and shown by Oscar's buy box. The image and embed blocks
fetch what they reference for all blocks of a kind at once (`bulk_to_python`), so a product page costs the
same queries for one block or fifty."""

from collections import defaultdict

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

from cms.rich_text import html_clean

#: Rendition specs the gallery template asks for; prefetched together with the images.
GALLERY_RENDITIONS = ("fill-800x600",)
TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]
ANSWER_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class CleanRichTextBlock(blocks.RichTextBlock):
    """Rich text printed through the shop's sanitiser as well: Wagtail's editor keeps only its features, but
    a value that reached the database another way (a script, an import, a restored revision) must not carry a
    script to shoppers either."""

    class Meta:
        template = "cms/blocks/product/rich_text_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # str(): Wagtail's links expanded to real URLs; nh3 has just cleaned what mark_safe vouches for.
        context["html"] = mark_safe(html_clean(str(value)))  # nosec B308 B703  # reviewed: sanitised above
        return context


class GalleryImageChooserBlock(ImageChooserBlock):
    def bulk_to_python(self, values):
        images = super().bulk_to_python(values)
        renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=GALLERY_RENDITIONS)
        prefetch_related_objects([image for image in images if image], Prefetch("renditions", queryset=renditions))
        return images


class VideoEmbedBlock(EmbedBlock):
    def bulk_to_python(self, values):
        # Wagtail reads each embed's cached HTML with a query of its own: read them all in one. An embed not yet
        # cached (or expired) stays lazy and is fetched from its provider on first view, as Wagtail does.
        embeds = [self.to_python(value) for value in values]
        by_hash = defaultdict(list)  # the same video may appear twice
        for value in embeds:
            if value is not None:
                by_hash[get_embed_hash(value.url, value.max_width, value.max_height)].append(value)
        cached = Embed.objects.filter(hash__in=by_hash).exclude(cache_until__lte=timezone.now())
        for embed in cached:
            html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})
            for value in by_hash[embed.hash]:
                value.html = html
        return embeds


class GalleryImageBlock(blocks.StructBlock):
    image = GalleryImageChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    images = blocks.ListBlock(GalleryImageBlock(), min_num=1)

    class Meta:
        icon = "image"
        template = "cms/blocks/product/gallery_block.html"
        description = "Pictures of the product in use, with captions"


class VideoBlock(blocks.StructBlock):
    video = VideoEmbedBlock(help_text="A YouTube or Vimeo link")
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        template = "cms/blocks/product/video_block.html"
        description = "A video from YouTube or Vimeo"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock()
    answer = CleanRichTextBlock(features=ANSWER_FEATURES)

    class Meta:
        icon = "help"


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Frequently asked questions")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "help"
        template = "cms/blocks/product/faq_block.html"
        description = "Questions shoppers ask, with their answers"
        preview_value = {
            "title": "Frequently asked questions",
            "questions": [
                {"question": "Is it dishwasher safe?", "answer": "<p>Yes, on the top rack.</p>"},
                {"question": "Can I return it?", "answer": "<p>Within 14 days, unused.</p>"},
            ],
        }


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(required=False, help_text="Shown instead of the document's title")

    class Meta:
        icon = "doc-full"


class DownloadsBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Downloads")
    files = blocks.ListBlock(DownloadBlock(), min_num=1)

    class Meta:
        icon = "download"
        template = "cms/blocks/product/downloads_block.html"
        description = "Manuals, data sheets, care guides"


class ProductContentBlock(blocks.StreamBlock):
    text = CleanRichTextBlock(
        features=TEXT_FEATURES,
        icon="pilcrow",
        label="Long description",
        description="The product's story: what it is for, how it is made",
        preview_value="<h3>Made to last</h3><p>Solid oak, oiled by hand, <b>ten years</b> of guarantee.</p>",
    )
    gallery = GalleryBlock()
    video = VideoBlock()
    faq = FaqBlock()
    downloads = DownloadsBlock()
