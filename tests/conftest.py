import pytest
import structlog
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from shop.devtools.mollie import MollieSimulator
from shop.settings.components.tasks import redis_broker_url
from tests.support.brokers import actors_on, shop_middleware
from tests.support.logs import JsonLogs
from tests.support.s3 import S3Server, point_settings_at
from tests.support.servers import RedisServer, SmtpServer
from tests.support.tasks import TaskWorker


def pytest_collection_modifyitems(items):
    """Every transactional test restores the serialized database. One that only flushes lets post_migrate recreate
    content types and permissions under new ids, and the next test with serialized rollback then fails to load its
    own copy (duplicate key on django_content_type), far from the test that caused it."""
    flushing_only = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db"))
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if flushing_only:
        raise pytest.UsageError(
            "django_db(transaction=True) needs serialized_rollback=True: " + ", ".join(flushing_only)
        )


@pytest.fixture(autouse=True)
def _shop_test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Django's test set-up swaps EMAIL_BACKEND for locmem; the shop's email path
    # is the outbox, so put it back (delivery still ends in locmem unless a test
    # starts an SMTP server).
    settings.EMAIL_BACKEND = "shop.notifications.backends.OutboxEmailBackend"
    # The cache (Redis db 15 in tests) holds allauth's rate-limit counters: start each test clean.
    cache.clear()
    # A transactional test's flush may recreate content types under new ids: never trust ids cached before.
    ContentType.objects.clear_cache()
    # Log context bound by a service called outside a request or task (as tests do) stays in the thread.
    structlog.contextvars.clear_contextvars()


@pytest.fixture
def json_logs():
    """Every log line of the test, as production's JSON formatter writes it (JsonLogs.lines(), .text)."""
    with JsonLogs() as logs:
        yield logs


@pytest.fixture
def demo_shop(db):
    """A small demo shop (bootstrap, 30 products, pages, accounts) inside the test's transaction."""
    call_command("load_demo_shop", products=30, no_index=True, verbosity=0)


@pytest.fixture
def search_index(demo_shop):
    call_command("update_index", "catalogue", remove=True, verbosity=0)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP hop on 127.0.0.1; delivery goes through Django's SMTP backend."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    yield server
    server.stop()


@pytest.fixture
def private_redis():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_broker(private_redis, settings):
    """Point every actor at a RedisBroker on a Redis server this test owns (and may stop)."""
    broker = RedisBroker(
        url=redis_broker_url(private_redis.url),
        middleware=shop_middleware(),
        heartbeat_timeout=settings.BROKER_HEARTBEAT_TIMEOUT_MS,
        maintenance_chance=settings.BROKER_MAINTENANCE_CHANCE,
    )
    with actors_on(broker):
        yield broker
    broker.close()


@pytest.fixture
def stub_broker():
    """Point every actor at an in-memory broker, as `make run` does."""
    with actors_on(StubBroker(middleware=shop_middleware())) as broker:
        yield broker


@pytest.fixture
def object_storage(settings):
    """MEDIA_STORAGE=s3 against moto's S3 server on a free loopback port: (server, its ObjectStorage settings)."""
    server = S3Server()
    server.start()
    objects = point_settings_at(settings, server.shop_buckets())
    yield server, objects
    server.stop()


@pytest.fixture
def mollie(settings):
    """The Mollie simulator on a free loopback port; the shop's real Mollie client talks to it."""
    simulator = MollieSimulator(webhook_retry_delays=(0.05, 0.1))
    simulator.start()
    settings.MOLLIE_API_ENDPOINT = simulator.url
    settings.MOLLIE_API_KEY = "test_simulatorsecretkey0000000000"
    yield simulator
    simulator.stop()


def _carrier_simulator(settings, push_to: str | None = None):
    """The carrier simulator, with the shop's real adapters pointed at it (keys and push secrets as configured)."""
    from copy import deepcopy

    from shop.devtools.carriers import CarrierSimulator

    carriers = deepcopy(settings.SHOP_CARRIERS)
    simulator = CarrierSimulator(
        api_keys={code: options["API_KEY"] for code, options in carriers.items()},
        push_secrets={code: options["PUSH_SECRET"] for code, options in carriers.items()},
        push_urls={code: f"{push_to}/fulfilment/carriers/{code}/push/" for code in carriers} if push_to else None,
    )
    simulator.start()
    for code, options in carriers.items():
        options["API_URL"] = f"{simulator.url}/{code}"
    settings.SHOP_CARRIERS = carriers
    return simulator


@pytest.fixture
def carriers(settings):
    """PostNL's and DHL's tracking APIs, simulated on loopback; the shop's adapters poll them over HTTP."""
    simulator = _carrier_simulator(settings)
    yield simulator
    simulator.stop()


@pytest.fixture
def pushing_carriers(settings, live_server):
    """As `carriers`, and the simulator pushes its updates to the shop under `live_server` (transactional tests)."""
    simulator = _carrier_simulator(settings, push_to=live_server.url)
    yield simulator
    simulator.stop()


@pytest.fixture
def lamp(db):
    """Reference data (countries, delivery methods) and one product: €24.95, 5 in stock."""
    from shop.bootstrap import reference_data_ensure
    from tests.support.checkout import product_with_stock

    reference_data_ensure()
    return product_with_stock(title="Reading lamp", price="24.95", stock=5)


@pytest.fixture
def task_worker(transactional_db, settings):
    """Process tasks for real: the outbox relays to the Redis broker of the test settings
    (BROKER_URL), and a Dramatiq worker with two threads runs them, until teardown.

    The broker's queues are flushed first, so messages left by other tests never run here.
    """
    import dramatiq
    from dramatiq import Worker
    from dramatiq.brokers.redis import RedisBroker

    broker = dramatiq.get_broker()
    if not isinstance(broker, RedisBroker):
        pytest.fail(f"task_worker needs the Redis broker of the test settings, not {type(broker).__name__}")
    broker.flush_all()
    worker = Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        yield TaskWorker(broker, worker)
    finally:
        worker.stop()
        broker.flush_all()
