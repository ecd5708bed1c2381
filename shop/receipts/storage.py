from shop.infrastructure.storage import PRIVATE_ALIAS, StorageAlias


def private_storage():
    """Receipts live in the private storage (a folder outside MEDIA_ROOT, or the private bucket): no URL serves
    them; a view checks who asks first. The alias is looked up on each use (shop/infrastructure/storage.py)."""
    return StorageAlias(PRIVATE_ALIAS)
