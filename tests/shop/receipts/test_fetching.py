"""A receipt's HTML fetches nothing: no file on the server's disk, no URL on its network ends up in a PDF."""

import base64
import io
import logging
import threading

import pytest
from oscar.core.loading import get_model
from PIL import Image

from shop.devtools.loopback import LoopbackServer, Reply
from shop.receipts.services import receipt_issue
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, product_with_stock
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db


def png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    return picture.getvalue()


@pytest.fixture
def intranet():
    """A server on loopback, as a metadata service or an admin page would be: it notes every request."""
    requests, lock = [], threading.Lock()

    def respond(method, target, headers, body):
        with lock:
            requests.append(target)
        return Reply(200, png(), "image/png")

    server = LoopbackServer(("127.0.0.1", 0), respond, name="intranet", logger=logging.getLogger(__name__))
    server.serve_in_background()
    yield server, requests
    server.close()


@pytest.fixture
def paid_order_id(client, mollie):
    from shop.bootstrap import reference_data_ensure

    reference_data_ensure()
    user_with_login("owner@example.com")
    login(client, "owner@example.com")
    checkout_to_preview(client, product_with_stock(title="Kettle", price="39.95"), guest_email=None)
    client.get(pay_at_mollie(place_order(client)["Location"]))  # the return page learns "paid"
    return get_model("order", "Order").objects.get().pk


@pytest.fixture
def receipt_template_with_urls(settings, tmp_path, intranet):
    """The receipt's template as if what a customer or an editor typed had reached it as markup: images and a
    stylesheet from the server's disk and from the network, beside an inline (data:) image."""
    server, _ = intranet
    on_disk = tmp_path / "stamp.png"
    on_disk.write_bytes(png())
    inline = "data:image/png;base64," + base64.b64encode(png()).decode()
    folder = tmp_path / "templates" / "receipts"
    folder.mkdir(parents=True)
    (folder / "receipt.html").write_text(
        '{% extends "receipts/base.html" %}{% block body %}'
        f'<link rel="stylesheet" href="{server.url}/style.css">'
        f'<img src="file://{on_disk}"><img src="file:///etc/passwd">'
        f'<img src="{server.url}/logo.png"><img src="stamp.png"><img src="{inline}">'
        "{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]


def test_a_receipt_fetches_no_file_and_no_url_only_data_uris_load(paid_order_id, receipt_template_with_urls, intranet):
    _, requests = intranet

    receipt = receipt_issue(order_id=paid_order_id)

    with receipt.pdf.open("rb") as document:
        pdf = document.read()
    assert requests == []  # nothing asked the network
    assert pdf.count(b"/Subtype /Image") == 1  # only the data: image; the file on disk stayed out
