"""What the storefront's CSS is built from (assets/build-css): its SCSS, the npm lock and Oscar's version, hashed.
The committed shop.css starts with this digest; a test compares it, so a change to the SCSS without a rebuild fails."""

import hashlib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSS = Path(__file__).parent / "static" / "shop" / "css" / "shop.css"


def css_sources_digest(root: Path = ROOT) -> str:
    digest = hashlib.sha256(f"django-oscar {version('django-oscar')}\n".encode())
    for path in sorted((root / "assets" / "scss").glob("*.scss")) + [root / "assets" / "package-lock.json"]:
        digest.update(f"{path.relative_to(root)}\n".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    print(css_sources_digest())
