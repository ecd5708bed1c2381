"""Point haystack's default connection at one of the engines the shop ships, for one test.

Whoosh keeps its index in a temporary folder; the PostgreSQL backend writes rows in the test database (rolled
back, or flushed, with the test). The shop's ProductIndex stands in for Oscar's either way."""

from contextlib import contextmanager

from haystack import connections

from shop.search.indexes import OSCAR_PRODUCT_INDEX, ProductIndex

ENGINES = {
    "whoosh": lambda tmp_path: {"ENGINE": "shop.search.backends.whoosh.WhooshEngine", "PATH": str(tmp_path / "whoosh")},
    "postgres": lambda tmp_path: {"ENGINE": "shop.search.backends.postgres.PostgresEngine"},
}


@contextmanager
def search_engine_in_use(name, settings, tmp_path):
    options = {**ENGINES[name](tmp_path), "INCLUDE_SPELLING": True, "EXCLUDED_INDEXES": [OSCAR_PRODUCT_INDEX]}
    settings.HAYSTACK_CONNECTIONS = {"default": options}
    previous = connections.connections_info
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    connections["default"].get_unified_index().build(indexes=[ProductIndex()])
    try:
        yield
    finally:
        connections.connections_info = previous
        # Forget the engine; the next use builds one from the settings restored after the test.
        connections.thread_local.connections.pop("default", None)
