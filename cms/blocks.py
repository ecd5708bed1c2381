"""Content blocks. One base stream for every page; each block has a template."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from shop.catalogue.selectors import category_products_for_display, newest_product_ids, products_by_ids_for_display

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


class ProductBlock(blocks.StructBlock):
    """One product, given room: its card (live price, stock, add to basket) beside the editor's words."""

    product = ProductChooserBlock()
    text = blocks.RichTextBlock(required=False, features=["bold", "italic", "link"])

    class Meta:
        icon = "tag"
        template = "cms/blocks/product_block.html"
        description = "One product with your words beside it; price and stock are live"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        chosen = [value["product"].pk] if value["product"] is not None else []
        context["product"] = next(iter(products_by_ids_for_display(chosen)), None)  # hidden since: nothing shown
        return context

    def get_preview_value(self):
        newest = newest_product_ids(limit=1)
        return self.to_python({"product": newest[0] if newest else None, "text": "<p>Our favourite this week.</p>"})


class CategoryProductsBlock(blocks.StructBlock):
    """The newest products of a category and its sub-categories, read when the page is shown."""

    title = blocks.CharBlock(required=False)
    category = blocks.PageChooserBlock(page_type="cms.CategoryPage")
    count = blocks.IntegerBlock(default=4, min_value=1, max_value=12, help_text="How many products")

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/product_list_block.html"
        description = "A category's newest products, with their live price and stock"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        page = value["category"]
        category = page.specific.category if page is not None and page.live else None
        context["products"] = category_products_for_display(category=category, limit=value["count"]) if category else []
        return context


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
    product = ProductBlock()
    category_products = CategoryProductsBlock()
    promo_banner = PromoBannerBlock()
    category_links = CategoryLinksBlock()
