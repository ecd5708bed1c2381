"""Product pictures drawn with Pillow, once, and shared by all demo products."""

import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

POOL_DIR = "demo/pool"
POOL_SIZE = 24
SIZE = 800
PALETTE = [
    (46, 134, 171),
    (162, 59, 114),
    (241, 143, 1),
    (199, 62, 29),
    (59, 31, 43),
    (76, 159, 112),
    (30, 47, 80),
    (233, 196, 106),
    (42, 157, 143),
    (231, 111, 81),
]


def image_pool_ensure() -> list[str]:
    """Storage paths of the pooled pictures, drawing any that are missing."""
    paths = []
    for number in range(POOL_SIZE):
        path = f"{POOL_DIR}/product-{number:02d}.jpg"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(draw_picture(number)))
        paths.append(path)
    return paths


def draw_picture(seed: int, size: int = SIZE) -> bytes:
    """A soft background with a few overlapping shapes: recognisably different per seed."""
    rng = random.Random(seed)  # nosec B311  # demo pictures, the same for a seed: no secret involved
    background = rng.choice(PALETTE)
    image = Image.new("RGB", (size, size), tuple(min(255, c + 150) for c in background))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 6)):
        colour = rng.choice(PALETTE)
        x, y = rng.randrange(0, size), rng.randrange(0, size)
        radius = rng.randrange(size // 8, size // 3)
        box = [x - radius, y - radius, x + radius, y + radius]
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
