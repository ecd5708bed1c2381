"""Where the shop's files live, decided here and nowhere else.

Two kinds of file: public media (product images and their thumbnails, Wagtail images and renditions), which
any browser may fetch by URL, and private files (receipts, credit notes, Wagtail documents), which no URL
serves: a view checks who asks, then streams the file from storage (shop/receipts/views.py, Wagtail's
document view with WAGTAILDOCS_SERVE_METHOD = "serve_view").

MEDIA_STORAGE chooses where they live (shop/settings/components/content.py):
- `filesystem`: MEDIA_ROOT and PRIVATE_MEDIA_ROOT on this host. One host only; Wagtail's documents stay under
  MEDIA_ROOT/documents/, which the web server must not serve.
- `s3`: S3-compatible object storage, for any number of hosts. A public bucket (anonymous reads granted by a
  bucket policy, no per-object ACLs) holds media; a private bucket (nothing anonymous) holds receipts, credit
  notes and Wagtail documents. Private files are streamed by the app after its checks, never handed out as
  signed URLs: a signed URL works for whoever holds it until it expires (forwarded mails, shared links,
  proxies' logs), it would bypass Wagtail's per-request collection privacy and the headers the views add
  (Cache-Control: private, no-store; CSP and nosniff on documents), and the private bucket then never needs
  to be reachable from browsers at all. These files are small (receipts are tens of kB), so the cost is a
  short gunicorn thread per download.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import LazyObject
from storages.backends.s3 import S3Storage

PRIVATE_ALIAS = "private"
PUBLIC_MEDIA_ALIAS = "media"
# Wagtail uploads its documents under this folder (AbstractDocument.file's upload_to).
DOCUMENTS_FOLDER = "documents/"


class PrivateFileMixin:
    """No URL exists for a private file. NotImplementedError is what Django's Storage.url raises for a storage
    without URLs, and what Wagtail's document view expects before streaming the file itself."""

    def url(self, name, *args, **kwargs):
        raise NotImplementedError(f"{name} is private: it has no URL; serve it through a view that checks access")


class PrivateFileSystemStorage(PrivateFileMixin, FileSystemStorage):
    """Receipts and credit notes on one host, outside MEDIA_ROOT."""


class PublicS3Storage(S3Storage):
    """Media in the public bucket: plain, unsigned URLs under MEDIA_URL (its CDN or the bucket's address)."""

    querystring_auth = False
    default_acl = None  # the bucket policy grants anonymous reads; many S3 stores disable object ACLs
    file_overwrite = False  # two uploads named lamp.jpg are two files, as on the filesystem


class PrivateS3Storage(PrivateFileMixin, S3Storage):
    """Receipts, credit notes and Wagtail documents in the private bucket."""

    default_acl = None
    file_overwrite = False


class MediaStorage(Storage):
    """The default storage in `s3` mode: media go to the public bucket, Wagtail's documents (the only files
    under documents/) to the private one. Wagtail has no setting for its documents' storage, and a custom
    document model would mean a new table; routing by the folder Wagtail always uses keeps its models stock.

    It takes no arguments and resolves its two aliases on every call: sorl-thumbnail re-creates storages from
    their class path alone, and tests may swap STORAGES."""

    def _target(self, name: str) -> Storage:
        alias = PRIVATE_ALIAS if str(name).replace("\\", "/").startswith(DOCUMENTS_FOLDER) else PUBLIC_MEDIA_ALIAS
        return storages[alias]

    def open(self, name, mode="rb"):
        return self._target(name).open(name, mode)

    def save(self, name, content, max_length=None):
        return self._target(name).save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self._target(filename).generate_filename(filename)

    def get_valid_name(self, name):
        return self._target(name).get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self._target(name).get_available_name(name, max_length=max_length)

    def path(self, name):
        return self._target(name).path(name)

    def delete(self, name):
        return self._target(name).delete(name)

    def exists(self, name):
        return self._target(name).exists(name)

    def listdir(self, path):
        return self._target(path).listdir(path)

    def size(self, name):
        return self._target(name).size(name)

    def url(self, name):
        return self._target(name).url(name)

    def get_accessed_time(self, name):
        return self._target(name).get_accessed_time(name)

    def get_created_time(self, name):
        return self._target(name).get_created_time(name)

    def get_modified_time(self, name):
        return self._target(name).get_modified_time(name)


class StorageAlias(LazyObject):
    """A storage that is always STORAGES[alias] as configured now: a FileField's storage is fixed when its model
    class is built, so it names the alias rather than an instance (Django resets its storages when tests change
    STORAGES)."""

    alias = "default"

    def __init__(self, alias: str | None = None):
        self.__dict__["alias"] = alias or type(self).alias
        super().__init__()

    @property
    def _wrapped(self):
        return storages[self.__dict__["alias"]]

    @_wrapped.setter
    def _wrapped(self, value):
        pass  # nothing to cache: the alias is looked up on every use

    def _setup(self):
        pass  # _wrapped is never empty


class DefaultStorage(StorageAlias):
    """THUMBNAIL_STORAGE: sorl-thumbnail creates its storage from a class path with no arguments, and would
    otherwise instantiate STORAGES["default"]'s class without its options."""

    alias = "default"


@dataclass(frozen=True)
class ObjectStorage:
    """MEDIA_STORAGE=s3: the buckets and how to reach them, from the environment (docs/configuration.md)."""

    media_bucket: str
    private_bucket: str
    region: str
    access_key: str
    secret_key: str
    endpoint_url: str = ""  # empty: AWS itself; else the S3-compatible store's URL
    addressing_style: str = "auto"  # path for most S3-compatible stores, virtual (or auto) on AWS
    media_url: str = ""  # the public base URL of the media bucket (e.g. a CDN); derived when empty

    REQUIRED = {
        "media_bucket": "S3_MEDIA_BUCKET",
        "private_bucket": "S3_PRIVATE_BUCKET",
        "region": "S3_REGION",
        "access_key": "S3_ACCESS_KEY_ID",
        "secret_key": "S3_SECRET_ACCESS_KEY",  # nosec B105  # the variable's name, not a secret
    }
    OPTIONAL = {
        "endpoint_url": "S3_ENDPOINT_URL",
        "addressing_style": "S3_ADDRESSING_STYLE",
        "media_url": "S3_MEDIA_URL",
    }

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "ObjectStorage":
        missing = [name for name in cls.REQUIRED.values() if not environ.get(name, "").strip()]
        if missing:
            raise ImproperlyConfigured(
                f"MEDIA_STORAGE=s3 needs {', '.join(missing)} (see the environment table in docs/configuration.md)."
            )
        values = {field: environ[name].strip() for field, name in cls.REQUIRED.items()}
        values |= {
            field: environ[name].strip() for field, name in cls.OPTIONAL.items() if environ.get(name, "").strip()
        }
        storage = cls(**values)
        if storage.addressing_style not in ("auto", "path", "virtual"):
            raise ImproperlyConfigured(
                f"S3_ADDRESSING_STYLE must be auto, path or virtual, not {storage.addressing_style!r}."
            )
        if storage.media_bucket == storage.private_bucket:
            raise ImproperlyConfigured("S3_MEDIA_BUCKET and S3_PRIVATE_BUCKET must differ: the media bucket is public.")
        return storage

    def public_base_url(self) -> str:
        """MEDIA_URL: where browsers fetch media (the Content-Security-Policy allows images from its origin)."""
        if self.media_url:
            return self.media_url.rstrip("/") + "/"
        if self.endpoint_url:
            endpoint = urlsplit(self.endpoint_url)
            if self.addressing_style == "virtual":
                return f"{endpoint.scheme}://{self.media_bucket}.{endpoint.netloc}/"
            return f"{self.endpoint_url.rstrip('/')}/{self.media_bucket}/"
        if self.addressing_style == "path":
            return f"https://s3.{self.region}.amazonaws.com/{self.media_bucket}/"
        return f"https://{self.media_bucket}.s3.{self.region}.amazonaws.com/"

    def _connection(self) -> dict:
        return {
            "region_name": self.region,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "endpoint_url": self.endpoint_url or None,
            "addressing_style": self.addressing_style,
            "signature_version": "s3v4",
        }

    def storages(self, *, staticfiles: dict) -> dict:
        """STORAGES: the default storage routes; "media" and "private" are the two buckets."""
        base_url = urlsplit(self.public_base_url())
        return {
            "default": {"BACKEND": "shop.infrastructure.storage.MediaStorage"},
            PUBLIC_MEDIA_ALIAS: {
                "BACKEND": "shop.infrastructure.storage.PublicS3Storage",
                "OPTIONS": {
                    **self._connection(),
                    "bucket_name": self.media_bucket,
                    # URLs exactly under MEDIA_URL, built without a request to the store.
                    "custom_domain": (base_url.netloc + base_url.path).rstrip("/"),
                    "url_protocol": f"{base_url.scheme}:",
                    # Uploaded names never change content (a new upload gets a new name): a week, as nginx did.
                    "object_parameters": {"CacheControl": "public, max-age=604800"},
                },
            },
            PRIVATE_ALIAS: {
                "BACKEND": "shop.infrastructure.storage.PrivateS3Storage",
                "OPTIONS": {**self._connection(), "bucket_name": self.private_bucket},
            },
            "staticfiles": staticfiles,
        }


def filesystem_storages(*, private_root: str, staticfiles: dict) -> dict:
    """STORAGES for MEDIA_STORAGE=filesystem: MEDIA_ROOT for media, PRIVATE_MEDIA_ROOT for private files."""
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        PRIVATE_ALIAS: {
            "BACKEND": "shop.infrastructure.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": private_root},
        },
        "staticfiles": staticfiles,
    }
