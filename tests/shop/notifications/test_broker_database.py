"""The broker keeps its own Redis database: flushing or evicting the cache cannot drop an email task."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import dramatiq
import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from dramatiq.brokers.redis import RedisBroker

from shop.settings.components.tasks import redis_neighbour_database

ROOT = Path(__file__).resolve().parents[3]


def test_the_broker_and_the_cache_use_different_databases_of_redis():
    broker = dramatiq.get_broker()
    assert isinstance(broker, RedisBroker)
    broker_db = broker.client.connection_pool.connection_kwargs
    cache_db = cache.client.get_client(write=True).connection_pool.connection_kwargs  # django-redis

    assert (broker_db["host"], broker_db["port"]) == (cache_db["host"], cache_db["port"])
    assert broker_db["db"] != cache_db["db"]

    key = f"broker-probe-{uuid.uuid4()}"
    broker.client.set(key, b"queued", ex=60)
    try:
        cache.clear()  # FLUSHDB of the cache's database
        assert broker.client.get(key) == b"queued", "clearing the cache must not touch the broker"
    finally:
        broker.client.delete(key)


@pytest.mark.parametrize(
    ("redis_url", "broker_url"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"),
        ("rediss://:secret@cache.internal:6380/3", "rediss://:secret@cache.internal:6380/4"),
        ("redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379/14"),  # 15 is the last of Redis's 16
    ],
)
def test_the_default_broker_database_is_the_caches_neighbour(redis_url, broker_url):
    assert redis_neighbour_database(redis_url) == broker_url


@pytest.mark.parametrize("redis_url", ["unix:///run/redis.sock?db=2", "redis://127.0.0.1:6379?db=2"])
def test_a_redis_url_without_a_database_in_its_path_asks_for_broker_url(redis_url):
    with pytest.raises(ImproperlyConfigured, match="set BROKER_URL"):
        redis_neighbour_database(redis_url)


def settings_probe(**environment) -> subprocess.CompletedProcess:
    env = {**os.environ, **environment}
    code = "import shop.settings.test as s; print(s.DRAMATIQ_BROKER['OPTIONS']['url'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_broker_url_from_the_environment_wins():
    result = settings_probe(REDIS_URL="redis://127.0.0.1:6379/15", BROKER_URL="redis://broker.internal:6379/7")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("redis://broker.internal:6379/7?")


def test_the_broker_may_not_share_the_caches_database():
    result = settings_probe(REDIS_URL="redis://127.0.0.1:6379/0", BROKER_URL="redis://127.0.0.1:6379")  # db 0 too

    assert result.returncode != 0
    assert "BROKER_URL must not be the cache's Redis database" in result.stderr
