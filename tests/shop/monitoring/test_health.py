"""Liveness and readiness, with each dependency stopped for real: a throwaway PostgreSQL cluster and a
private Redis server, stopped and started while the probes answer."""

import json
import logging
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from shop.monitoring.health import readiness_check
from shop.outbox.models import OutboxMessage
from tests.support.servers import PostgresServer, free_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def throwaway_database(django_db_setup, django_db_blocker):
    """A database alias on a PostgreSQL cluster of the test's own, with the test database's migrations
    recorded as applied and the outbox table: what readiness reads, on a server the test may stop.

    Outside a test transaction (no django_db mark): the default database is only read, and Django's test
    case would refuse a connection to an alias it did not know when the test started."""
    server = PostgresServer()
    server.start()
    alias = f"readiness_{server.port}"  # a new alias is a fresh process to the migration check's memory
    connections.settings[alias] = {
        **connections.settings["default"],
        "NAME": "postgres",
        "HOST": "127.0.0.1",
        "PORT": server.port,
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": 60,  # as production: the probe keeps its connection while the server stops
    }
    with django_db_blocker.unblock():
        applied = MigrationRecorder(connections["default"]).applied_migrations()
        recorder = MigrationRecorder(connections[alias])
        recorder.ensure_schema()
        recorder.migration_qs.bulk_create([recorder.Migration(app=app, name=name) for app, name in applied])
        with connections[alias].schema_editor() as editor:
            editor.create_model(OutboxMessage)
        server.alias, server.recorder = alias, recorder
        yield server
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]
    server.destroy()


def timed(function, *args, **kwargs):
    started = time.monotonic()
    result = function(*args, **kwargs)
    return result, time.monotonic() - started


def test_readiness_is_unavailable_within_a_second_of_postgresql_stopping_and_recovers(throwaway_database):
    alias = throwaway_database.alias
    assert readiness_check(database=alias).as_dict()["checks"]["database"]["status"] == "ok"

    throwaway_database.stop()
    readiness, took = timed(readiness_check, database=alias)

    assert took < 1, f"the readiness check took {took:.2f} s with PostgreSQL stopped"
    assert readiness.status == "unavailable"
    checks = readiness.as_dict()["checks"]
    assert (checks["database"]["status"], checks["database"]["reason"]) == ("unavailable", "unreachable")
    assert checks["migrations"]["status"] == "unavailable" and "database unreachable" in checks["migrations"]["reason"]
    # Every later probe fails as fast: each tries a new connection, refused at once.
    assert timed(readiness_check, database=alias)[1] < 1

    throwaway_database.start()
    wait_until(lambda: readiness_check(database=alias).status == "ok", timeout=10, what="readiness recovered")


def test_migrations_not_applied_make_a_fresh_process_unavailable_until_they_are(throwaway_database):
    alias, recorder = throwaway_database.alias, throwaway_database.recorder
    latest = recorder.migration_qs.filter(app="outbox").order_by("-name").first()
    latest.delete()  # a deployment whose code is newer than its database

    readiness = readiness_check(database=alias)

    assert readiness.status == "unavailable"
    reason = readiness.as_dict()["checks"]["migrations"]["reason"]
    assert reason == f"1 migration(s) not applied, first outbox.{latest.name}"

    recorder.record_applied("outbox", latest.name)  # `migrate` ran
    assert readiness_check(database=alias).status == "ok"
    # Once found applied, the answer is kept: migrations do not un-apply under a running process.
    recorder.record_unapplied("outbox", latest.name)
    checks, took = timed(readiness_check, database=alias)
    assert checks.status == "ok" and took < 0.1


@pytest.fixture
def redis_on_private_server(settings, private_redis):
    """The cache and the broker each on a database of a Redis server this test stops."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": private_redis.url.replace("/0", "/2")}}
    settings.BROKER_URL = private_redis.url.replace("/0", "/3")
    return private_redis


@pytest.mark.django_db
def test_readyz_reports_redis_degraded_within_a_second_of_it_stopping_still_200_and_recovers(
    client, redis_on_private_server, caplog
):
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok", ready.json()

    redis_on_private_server.stop()
    response, took = timed(client.get, "/readyz")

    assert took < 1, f"/readyz took {took:.2f} s with Redis stopped"
    assert response.status_code == 200, "a node without Redis still serves: the load balancer keeps it"
    body = response.json()
    assert body["status"] == "degraded"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "migrations": "ok",
        "outbox": "ok",
        "cache": "degraded",
        "broker": "degraded",
    }
    assert body["checks"]["cache"]["reason"].startswith("unreachable")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="shop.monitoring.health"):
        client.get("/readyz")
    health_lines = [r for r in caplog.records if r.name == "shop.monitoring.health"]
    assert not health_lines, "logged when the state changed, not on every probe"

    redis_on_private_server.start()
    wait_until(lambda: client.get("/readyz").json()["status"] == "ok", timeout=5, what="/readyz back to ok")


@pytest.mark.django_db
def test_readyz_reports_an_old_outbox_backlog_as_degraded_but_not_failed_rows(client, settings):
    settings.SHOP_READINESS_OUTBOX_MAX_AGE_SECONDS = 300
    failed = OutboxMessage.objects.create(actor_name="gone", queue_name="q", failed_at=timezone.now())
    OutboxMessage.objects.filter(pk=failed.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert client.get("/readyz").json()["checks"]["outbox"]["status"] == "ok", "failed rows wait for a person"

    waiting = OutboxMessage.objects.create(actor_name="send_email", queue_name="emails", args=[1])
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz")

    assert response.status_code == 200
    outbox = response.json()["checks"]["outbox"]
    assert outbox["status"] == "degraded" and "waits 600 s (limit 300 s)" in outbox["reason"]


@pytest.mark.django_db
def test_liveness_answers_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


PROBE = """
import json, time
from django.test import Client
client = Client()
live = client.get("/healthz")
started = time.monotonic()
ready = client.get("/readyz")
print(json.dumps([live.status_code, ready.status_code, ready.json(), time.monotonic() - started]))
"""


def test_a_fresh_process_without_its_database_is_alive_but_not_ready():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{free_port()}/shop"  # nobody listens there
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--settings=shop.settings.test", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    live, ready, body, took = json.loads(result.stdout.strip().splitlines()[-1])

    assert live == 200, "liveness needs no database: restarting the process would not bring it back"
    assert ready == 503
    database = body["checks"]["database"]
    assert (database["status"], database["reason"]) == ("unavailable", "unreachable")
    assert took < 1
