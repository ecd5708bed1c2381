"""`manage.py simulators`: Mollie, the carriers and the OpenID Connect provider in the foreground, each at the
address it prints, speaking to the shop's real clients with the shop's settings, until SIGTERM ends it cleanly."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from mollie.api.client import Client

from shop.fulfilment.carriers.base import CarrierConfig, Milestone
from shop.fulfilment.carriers.postnl import PostNL

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = re.compile(r"^(Mollie simulator|Carrier simulator|OpenID Connect simulator) on (http://\S+)")


def output_until(process: subprocess.Popen, last_line: str, timeout: float = 60) -> list[str]:
    """The process's lines up to and including the first that starts with `last_line`."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    seen, deadline = [], time.monotonic() + timeout
    while not seen or not seen[-1].startswith(last_line):
        try:
            seen.append(lines.get(timeout=max(deadline - time.monotonic(), 0)).rstrip("\n"))
        except queue.Empty:
            raise AssertionError(f"no {last_line!r} within {timeout} s; printed: {seen}") from None
    return seen


def test_the_three_simulators_answer_at_the_printed_addresses_until_sigterm(settings):
    command = ["manage.py", "simulators", "--mollie-port", "0", "--carriers-port", "0", "--oidc-port", "0"]
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.test"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = output_until(process, "Simulators running")
        urls = dict(match.groups() for line in banner if (match := ADDRESS.match(line)))

        mollie = Client()
        mollie.set_api_key("test_simulatorscommand0000000000")
        mollie.set_api_endpoint(urls["Mollie simulator"])
        payment = mollie.payments.create(
            {
                "amount": {"currency": "EUR", "value": "10.00"},
                "description": "Order 100001",
                "redirectUrl": "https://shop.example/checkout/return/100001/",
            }
        )

        postnl = settings.SHOP_CARRIERS["postnl"]
        api_url = f"{urls['Carrier simulator']}/postnl"
        tracking = PostNL(CarrierConfig(api_url, postnl["API_KEY"], postnl["PUSH_SECRET"]))
        parcel = tracking.events("3SCMD0000000001")

        provider = urls["OpenID Connect simulator"]
        discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
        authorization = requests.get(
            discovery["authorization_endpoint"],
            params={
                "client_id": "shop-dev",
                "redirect_uri": "http://127.0.0.1:8000/accounts/oidc/dev-id/login/callback/",
                "response_type": "code",
                "scope": "openid email",
                "state": "s1",
            },
            allow_redirects=False,
            timeout=10,
        )

        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert payment.checkout_url.startswith(urls["Mollie simulator"] + "/checkout/")
    assert [event.milestone for event in parcel] == [Milestone.ANNOUNCED]  # the shop's key, auto-advanced
    assert discovery["issuer"] == provider
    # Someone is signed in at the provider: the shop's client gets a code straight back.
    assert authorization.status_code == 302
    assert set(parse_qs(urlsplit(authorization.headers["Location"]).query)) == {"code", "state"}
    assert process.returncode == 0
