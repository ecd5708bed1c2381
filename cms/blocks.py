"""Content blocks. One base stream for every page; each block has a template."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from shop.catalogue.selectors import newest_product_ids, products_by_ids_for_display

from .viewsets import product_chooser_viewset

ProductChooserBlock = product_chooser_viewset.get_block_class(name="ProductChooserBlock", module_path="cms.blocks")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "cms/blocks/image_block.html"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    size = blocks.ChoiceBlock(choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2")

    class Meta:
        icon = "title"
        template = "cms/blocks/heading_block.html"
        description = "A section title"
        preview_value = {"text": "New in this week", "size": "h2"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote_block.html"
        description = "A customer's words, with who said them"
        preview_value = {"text": "Arrived the next morning, beautifully packed.", "attribution": "Anna, Utrecht"}


class ProductListBlock(blocks.StructBlock):
    """A row of products; prices and stock are read live from Oscar when rendered."""

    title = blocks.CharBlock(required=False)
    products = blocks.ListBlock(ProductChooserBlock())

    class Meta:
        icon = "tag"
        template = "cms/blocks/product_list_block.html"
        description = "Products you choose, with their live price and stock"

    def get_context(self, value, parent_context=None):
        # The chosen products again, with images and stock records, in one go and in the editor's order.
        context = super().get_context(value, parent_context)
        context["products"] = products_by_ids_for_display([p.pk for p in value["products"] if p is not None])
        return context

    def get_preview_value(self):
        # The editor's block picker previews the newest products of the live catalogue.
        return self.to_python({"title": "Bestsellers", "products": newest_product_ids(limit=4)})


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(icon="pilcrow", template="cms/blocks/paragraph_block.html")
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(icon="media", help_text="A YouTube or Vimeo link")
    products = ProductListBlock()
