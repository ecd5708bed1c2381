from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files no URL serves (receipts, credit notes): a view checks who asks, then streams the file."""

    def url(self, name):
        raise ValueError(f"{name} is private: it has no URL; serve it through a view that checks access")
