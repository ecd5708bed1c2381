from django.core.files.storage import storages


def private_storage():
    """Receipts live outside MEDIA_ROOT: no URL serves them; a view checks who asks first."""
    return storages["private"]
