"""A deterministic demo catalogue: the same --products N always gives the same shop.

Products are keyed by UPC (DEMO-000000 …), so a rerun only creates what is
missing. Rows are written with bulk_create in batches, which is what makes
100,000 products a matter of minutes.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from .images import image_pool_ensure

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

UPC_PREFIX = "DEMO-"
BATCH = 2000


@dataclass(frozen=True)
class Department:
    """A top-level category with the product class all its products share."""

    name: str
    product_class: str
    vat_category: str
    nouns: tuple[str, ...]
    attributes: tuple[tuple[str, str, str, tuple], ...]  # (code, name, type, choices)
    children: dict[str, tuple[str, ...]]


DEPARTMENTS = [
    Department(
        "Books",
        "Book",
        "reduced",
        ("Novel", "Cookbook", "Atlas", "Guide", "Biography", "Handbook"),
        (
            ("author", "Author", "text", ("A. Jansen", "M. de Vries", "L. Bakker", "S. Visser", "E. Smit")),
            ("pages", "Pages", "integer", (120, 240, 360, 480, 640)),
            ("binding", "Binding", "text", ("Hardcover", "Paperback")),
        ),
        {
            "Fiction": ("Crime", "Fantasy", "Literary"),
            "Non-fiction": ("History", "Science", "Travel"),
            "Children": ("Picture books", "Young readers", "Teen"),
        },
    ),
    Department(
        "Electronics",
        "Gadget",
        "standard",
        ("Speaker", "Headphones", "Charger", "Lamp", "Keyboard", "Camera"),
        (
            ("brand", "Brand", "text", ("Polder", "Delta", "Noord", "Kade", "Duin")),
            ("power", "Power (W)", "integer", (5, 10, 20, 45, 65)),
            ("warranty", "Warranty (years)", "integer", (1, 2, 3)),
        ),
        {
            "Audio": ("Headphones", "Speakers", "Microphones"),
            "Computing": ("Keyboards", "Mice", "Storage"),
            "Photo": ("Cameras", "Lenses", "Tripods"),
        },
    ),
    Department(
        "Home & Garden",
        "Homeware",
        "standard",
        ("Vase", "Chair", "Planter", "Blanket", "Mug", "Lantern"),
        (
            ("material", "Material", "text", ("Oak", "Ceramic", "Linen", "Steel", "Glass")),
            ("width", "Width (cm)", "integer", (10, 20, 40, 60, 90)),
            ("colour", "Colour", "text", ("Sand", "Moss", "Charcoal", "Terracotta", "Sky")),
        ),
        {
            "Kitchen": ("Cookware", "Tableware", "Storage jars"),
            "Living": ("Lighting", "Textiles", "Decoration"),
            "Garden": ("Planters", "Tools", "Outdoor furniture"),
        },
    ),
    Department(
        "Clothing",
        "Garment",
        "standard",
        ("Jacket", "Sweater", "Shirt", "Scarf", "Cap", "Trousers"),
        (
            ("fabric", "Fabric", "text", ("Wool", "Cotton", "Linen", "Recycled polyester")),
            ("fit", "Fit", "text", ("Regular", "Slim", "Relaxed")),
            ("care", "Care", "text", ("Machine wash 30°", "Hand wash", "Dry clean")),
        ),
        {
            "Women": ("Coats", "Knitwear", "Shirts"),
            "Men": ("Jackets", "Sweaters", "Trousers"),
            "Accessories": ("Scarves", "Hats", "Bags"),
        },
    ),
    Department(
        "Food & Drink",
        "Grocery",
        "reduced",
        ("Coffee", "Tea", "Chocolate", "Honey", "Biscuits", "Olive oil"),
        (
            ("weight", "Weight (g)", "integer", (100, 250, 500, 1000)),
            ("origin", "Origin", "text", ("Netherlands", "Italy", "Colombia", "Kenya", "Belgium")),
            ("organic", "Organic", "boolean", (True, False)),
        ),
        {
            "Pantry": ("Oils", "Spreads", "Spices"),
            "Drinks": ("Coffee", "Tea", "Juices"),
            "Sweets": ("Chocolate", "Biscuits", "Liquorice"),
        },
    ),
]
ADJECTIVES = (
    "Classic",
    "Nordic",
    "Compact",
    "Everyday",
    "Handmade",
    "Urban",
    "Coastal",
    "Vintage",
    "Bright",
    "Quiet",
    "Sturdy",
    "Gentle",
    "Bold",
    "Pure",
    "Crisp",
    "Warm",
)


@dataclass
class CatalogueResult:
    created: int
    existing: int
    leaves: list  # leaf categories, in a stable order


def categories_ensure() -> dict[str, list]:
    """Department name → its leaf categories (created if missing; three levels deep)."""
    leaves = {}
    for department in DEPARTMENTS:
        leaves[department.name] = [
            create_from_breadcrumbs(f"{department.name} > {child} > {leaf}")
            for child, grandchildren in department.children.items()
            for leaf in grandchildren
        ]
    return leaves


def product_classes_ensure() -> dict[str, tuple]:
    """Department name → (product class, {code: attribute})."""
    classes = {}
    for department in DEPARTMENTS:
        product_class, _ = ProductClass.objects.update_or_create(
            name=department.product_class,
            defaults={"vat_category": department.vat_category, "requires_shipping": True, "track_stock": True},
        )
        attributes = {}
        for code, name, kind, _choices in department.attributes:
            attributes[code], _ = ProductAttribute.objects.get_or_create(
                product_class=product_class, code=code, defaults={"name": name, "type": kind}
            )
        classes[department.name] = (product_class, attributes)
    return classes


def partner_ensure():
    partner, _ = Partner.objects.get_or_create(code="demo-warehouse", defaults={"name": "Demo Warehouse"})
    return partner


def demo_catalogue_ensure(*, products: int, progress: Callable[[int], None] = lambda n: None) -> CatalogueResult:
    """Make sure products DEMO-000000 … DEMO-{products-1} exist with everything they need."""
    leaves_by_department = categories_ensure()
    classes = product_classes_ensure()
    partner = partner_ensure()
    pool = image_pool_ensure()
    existing = set(Product.objects.filter(upc__startswith=UPC_PREFIX).values_list("upc", flat=True))
    missing = [i for i in range(products) if demo_upc(i) not in existing]
    progress(products - len(missing))
    for batch in _chunks(missing, BATCH):
        with transaction.atomic():
            _create_batch(batch, leaves_by_department, classes, partner, pool)
        progress(len(batch))
    all_leaves = [leaf for leaves in leaves_by_department.values() for leaf in leaves]
    return CatalogueResult(created=len(missing), existing=products - len(missing), leaves=all_leaves)


def demo_upc(index: int) -> str:
    return f"{UPC_PREFIX}{index:06d}"


def _create_batch(indexes, leaves_by_department, classes, partner, pool):
    specs = [_product_spec(i, leaves_by_department, pool) for i in indexes]
    products = Product.objects.bulk_create(
        [
            Product(
                upc=spec["upc"],
                title=spec["title"],
                slug=slugify(spec["title"]),
                description=spec["description"],
                structure=Product.STANDALONE,
                is_public=True,
                product_class=classes[spec["department"].name][0],
            )
            for spec in specs
        ]
    )
    categories, values, stock, images = [], [], [], []
    for product, spec in zip(products, specs, strict=True):
        categories.append(ProductCategory(product=product, category=spec["leaf"]))
        attributes = classes[spec["department"].name][1]
        for code, value in spec["attributes"].items():
            attribute = attributes[code]
            values.append(
                ProductAttributeValue(product=product, attribute=attribute, **{f"value_{attribute.type}": value})
            )
        stock.append(
            StockRecord(
                product=product,
                partner=partner,
                partner_sku=spec["upc"],
                price_currency="EUR",
                price=spec["price"],
                num_in_stock=spec["stock"],
            )
        )
        for order, path in enumerate(spec["images"]):
            images.append(ProductImage(product=product, original=path, caption=spec["title"], display_order=order))
    ProductCategory.objects.bulk_create(categories)
    ProductAttributeValue.objects.bulk_create(values)
    StockRecord.objects.bulk_create(stock)
    ProductImage.objects.bulk_create(images)


def _product_spec(index: int, leaves_by_department, pool) -> dict:
    rng = random.Random(index)  # nosec B311  # demo data: one seed per product, so reruns and --products N agree
    department = DEPARTMENTS[index % len(DEPARTMENTS)]
    leaves = leaves_by_department[department.name]
    leaf = leaves[(index // len(DEPARTMENTS)) % len(leaves)]
    noun = rng.choice(department.nouns)
    title = f"{rng.choice(ADJECTIVES)} {noun} {index:05d}"
    attributes = {code: rng.choice(choices) for code, _name, _kind, choices in department.attributes}
    details = ", ".join(f"{name.lower()}: {attributes[code]}" for code, name, _k, _c in department.attributes[:2])
    return {
        "upc": demo_upc(index),
        "department": department,
        "leaf": leaf,
        "title": title,
        "description": (
            f"<p>The {title.lower()} is part of our {leaf.name.lower()} range. "
            f"Made to last and chosen by our buyers for everyday use ({details}).</p>"
            f"<p>Delivered within two working days; free returns within 14 days.</p>"
        ),
        "attributes": attributes,
        "price": Decimal(rng.randrange(4, 300)) + Decimal("0.95"),
        "stock": 0 if index % 23 == 7 else rng.randrange(1, 60),
        "images": rng.sample(pool, rng.randint(2, 4)),
    }


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
