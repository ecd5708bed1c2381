"""A loopback S3 server for the object-storage tests: moto in server mode, on 127.0.0.1 and a free port, with
the shop's two buckets made through boto3 as an operator would make them."""

import json
import logging
import uuid

import boto3
from moto.server import ThreadedMotoServer

from shop.infrastructure.storage import ObjectStorage

REGION = "eu-central-1"
KEY_ID = "loopback-access-key"
SECRET = "loopback-secret-key"  # nosec B105  # moto's server accepts any key


class S3Server:
    def __init__(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.endpoint_url = ""

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request otherwise
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.stop()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )

    def shop_buckets(self) -> dict[str, str]:
        """A public bucket for media (anonymous reads by bucket policy, as docs/deploy.md tells operators) and a
        private one; returns the shop's environment for them (docs/configuration.md)."""
        suffix = uuid.uuid4().hex[:8]  # moto keeps its buckets for the whole process: each test gets its own
        media, private = f"shop-media-{suffix}", f"shop-private-{suffix}"
        client = self.client()
        for bucket in (media, private):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        client.put_bucket_policy(Bucket=media, Policy=json.dumps(public_read_policy(media)))
        return {
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": REGION,
            "S3_ADDRESSING_STYLE": "path",
            "S3_MEDIA_BUCKET": media,
            "S3_PRIVATE_BUCKET": private,
            "S3_ACCESS_KEY_ID": KEY_ID,
            "S3_SECRET_ACCESS_KEY": SECRET,
        }

    def keys(self, bucket: str) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def body(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()


def public_read_policy(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
        ],
    }


def point_settings_at(settings, environ: dict[str, str]) -> ObjectStorage:
    """The shop's settings as components/content.py makes them for MEDIA_STORAGE=s3 with this environment."""
    objects = ObjectStorage.from_environ(environ)
    settings.MEDIA_STORAGE = "s3"
    settings.MEDIA_URL = objects.public_base_url()
    settings.STORAGES = objects.storages(staticfiles=settings.STORAGES["staticfiles"])
    return objects
