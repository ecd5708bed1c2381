"""Sentry, optional: with SENTRY_DSN set, a failing view and a failing task reach Sentry through the real SDK over
real HTTP (a loopback ingestion endpoint), carrying no email address and no password; unset, the SDK never starts.

Each case runs the shop in a process of its own (tests/support/sentry_probe.py): the settings start the SDK, which
patches Django and Dramatiq for the life of the process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.support.probe_env import database_url
from tests.support.sentry import SentrySink
from tests.support.sentry_probe import EMAIL, PASSWORD

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the probe commits its user


@pytest.fixture
def sink():
    server = SentrySink()
    server.start()
    yield server
    server.stop()


def run_probe(**env: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
    environment.update(DJANGO_SETTINGS_MODULE="shop.settings.test", DATABASE_URL=database_url(connection), **env)
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.sentry_probe"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_failing_view_and_task_reach_sentry_without_personal_data(sink):
    probe = run_probe(SENTRY_DSN=sink.dsn, SENTRY_ENVIRONMENT="test-probe")

    assert probe == {"active": True, "status": 500}
    events = sink.events()
    by_type = {event["exception"]["values"][-1]["type"]: event for event in events}
    assert set(by_type) == {"RuntimeError", "ValueError"}, [event.get("message") for event in events]
    view, task = by_type["RuntimeError"], by_type["ValueError"]
    assert view["environment"] == "test-probe"
    request = view["request"]
    assert request["url"].endswith("/probe/fail/") and request["method"] == "POST"
    assert request["query_string"] == "email=[email]"
    assert view["exception"]["values"][-1]["value"] == f"order placement failed for [email] ({len(PASSWORD)})"
    assert any(crumb.get("message") == "placing an order for [email]" for crumb in view["breadcrumbs"]["values"])
    assert task["exception"]["values"][-1]["value"] == "cannot email [email]"
    assert "dramatiq" in task["contexts"]  # reported by the Dramatiq integration, with the message
    # Nothing personal anywhere in what left the process: no address, password, user, cookie or body.
    raw = b"".join(sink.envelopes)
    for secret in (EMAIL, EMAIL.replace("@", "%40"), PASSWORD):
        assert secret.encode() not in raw
    assert "user" not in view and "cookies" not in request
    assert request["headers"]["Cookie"] == "[Filtered]"  # the session cookie's value stays home
    assert not request.get("data") and "REMOTE_ADDR" not in request.get("env", {})
    frames = view["exception"]["values"][-1]["stacktrace"]["frames"]
    assert not any("vars" in frame for frame in frames)


def test_without_a_dsn_the_sdk_is_not_started(sink):
    probe = run_probe()

    assert probe == {"active": False, "status": 500}
    assert sink.envelopes == []
