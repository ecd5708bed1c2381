"""Run as `python -m tests.support.sentry_probe` with the test settings (SENTRY_DSN set or not): a signed-in
shopper's request to the shop's WSGI application fails in a view, and a task fails in a worker, as in a live
shop. Prints what the SDK was, as JSON. A process of its own, because the settings start the SDK, and it patches
Django and Dramatiq for good."""

import json
import logging
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")
django.setup()

import dramatiq  # noqa: E402  (after django.setup(): the settings start the SDK before any broker exists)
import sentry_sdk  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from dramatiq import Worker  # noqa: E402
from dramatiq.brokers.stub import StubBroker  # noqa: E402

EMAIL = "probe.shopper@example.com"
PASSWORD = "probe-password-Zq8!"
logger = logging.getLogger("shop.probe")


@csrf_exempt  # the probe posts without a form
def failing_view(request):
    address = request.POST["email"]
    secret = request.POST["password"]  # a local variable Sentry must not send
    logger.info("placing an order for %s", address)  # becomes a breadcrumb
    raise RuntimeError(f"order placement failed for {address} ({len(secret)})")


urlpatterns = [path("probe/fail/", failing_view), path("", include("shop.urls"))]


def main() -> None:
    broker = StubBroker()  # made after the SDK started, as django_dramatiq's broker is
    broker.emit_after("process_boot")
    dramatiq.set_broker(broker)

    @dramatiq.actor(max_retries=0, queue_name="emails")
    def failing_task(address: str) -> None:
        raise ValueError(f"cannot email {address}")

    user = get_user_model().objects.create_user(email=EMAIL, password=PASSWORD)
    client = Client()
    client.force_login(user)
    session_cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    with override_settings(ROOT_URLCONF=__name__):
        status = post_to_the_shop(
            f"/probe/fail/?email={urllib.parse.quote(EMAIL)}",
            {"email": EMAIL, "password": PASSWORD},
            cookie=session_cookie,
        )

    worker = Worker(broker, worker_threads=1)
    worker.start()
    failing_task.send(EMAIL)
    broker.join(failing_task.queue_name, fail_fast=False)
    worker.join()
    worker.stop()

    sentry_sdk.flush(timeout=10)
    print(json.dumps({"active": sentry_sdk.get_client().is_active(), "status": status}))


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def post_to_the_shop(path_and_query: str, form: dict, *, cookie: str) -> int:
    """POST through Django's WSGI application on a loopback server, as gunicorn would call it."""
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.server_port}{path_and_query}",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Cookie": cookie},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    thread.join()
    server.server_close()
    return status


if __name__ == "__main__":
    main()
