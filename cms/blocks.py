"""Content blocks. One base stream for every page; each block has a template."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

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


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote_block.html"


class ProductListBlock(blocks.StructBlock):
    """A row of products; prices and stock are read live from Oscar when rendered."""

    title = blocks.CharBlock(required=False)
    products = blocks.ListBlock(ProductChooserBlock())

    class Meta:
        icon = "tag"
        template = "cms/blocks/product_list_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(icon="pilcrow", template="cms/blocks/paragraph_block.html")
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(icon="media", help_text="A YouTube or Vimeo link")
    products = ProductListBlock()
