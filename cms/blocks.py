"""Content blocks. One base stream for every page; each block has a template."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from shop.catalogue.selectors import newest_product_ids, products_by_ids_for_display

from .selectors import category_pages_for_links
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


class PromoBannerBlock(blocks.StructBlock):
    """A wide picture with a headline and a button: a sale, a new range, free delivery."""

    image = ImageChooserBlock()
    headline = blocks.CharBlock(max_length=80)
    text = blocks.CharBlock(required=False, max_length=200)
    button_text = blocks.CharBlock(required=False, max_length=40)
    page = blocks.PageChooserBlock(required=False, help_text="Where the button leads")
    url = blocks.URLBlock(required=False, help_text="…or a web address, when no page is chosen")

    class Meta:
        icon = "pick"
        template = "cms/blocks/promo_banner_block.html"
        description = "A wide picture with a headline and a button"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["href"] = value["page"].url if value["page"] else value["url"]
        return context


class CategoryLinksBlock(blocks.StructBlock):
    """Links to category pages, each with its hero picture. Empty: the sub-categories of the page it sits on."""

    title = blocks.CharBlock(required=False)
    categories = blocks.ListBlock(blocks.PageChooserBlock(page_type="cms.CategoryPage"), required=False)

    class Meta:
        icon = "folder-open-inverse"
        template = "cms/blocks/category_links_block.html"
        description = "Links to categories; left empty, the sub-categories of this page"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        chosen = [page.pk for page in value["categories"] if page is not None]
        context["category_pages"] = category_pages_for_links(chosen, below=(parent_context or {}).get("page"))
        return context


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(icon="pilcrow", template="cms/blocks/paragraph_block.html")
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(icon="media", help_text="A YouTube or Vimeo link")
    products = ProductListBlock()
    promo_banner = PromoBannerBlock()
    category_links = CategoryLinksBlock()
