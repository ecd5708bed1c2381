"""A worker's metrics endpoint: the counts of every process of one `manage.py worker`, summed.

Run by the `dramatiq` command as a fork function (a process of its own beside the worker processes),
before and without Django: everything it needs comes from the environment `manage.py worker` sets.
Each worker process writes its counters to files in PROMETHEUS_MULTIPROC_DIR; a scrape reads them all.
Like `/metrics`, it answers the monitoring networks only (METRICS_ALLOWED_NETWORKS): a worker has no
proxy in front, so the caller is the socket's peer.
"""

import logging
import os
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address, ip_network

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

ADDRESS = "SHOP_WORKER_METRICS_ADDRESS"  # host:port, [v6]:port
ALLOWED = "SHOP_WORKER_METRICS_ALLOWED"  # comma-separated networks

logger = logging.getLogger("shop.worker_metrics")


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"expected host:port, got {address!r}")
    return host.strip("[]"), int(port)


class MetricsHandler(BaseHTTPRequestHandler):
    networks: tuple = ()

    def do_GET(self):
        peer = ip_address(self.client_address[0])
        if peer.version == 6 and peer.ipv4_mapped:
            peer = peer.ipv4_mapped
        if not any(peer in network for network in self.networks):
            logger.warning("worker metrics: refused scrape from %s", peer)
            self._answer(403, b"Metrics are only served to the monitoring network.\n", "text/plain")
            return
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        self._answer(200, generate_latest(registry), CONTENT_TYPE_LATEST)

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002  (the base class's name) one line per scrape is noise
        pass


def server(address: str, networks: list[str]) -> ThreadingHTTPServer:
    host, port = split_address(address)
    handler = type("Handler", (MetricsHandler,), {"networks": tuple(ip_network(n) for n in networks)})
    server_class = ThreadingHTTPServer
    if ":" in host:
        server_class = type("ServerV6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
    return server_class((host, port), handler)


def serve() -> int:
    """The fork function: serve until the worker stops (SIGTERM ends the process)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        logger.error("worker metrics: PROMETHEUS_MULTIPROC_DIR is not set; start workers with manage.py worker")
        return 1
    httpd = server(os.environ[ADDRESS], [n for n in os.environ.get(ALLOWED, "").split(",") if n])
    logger.info("worker metrics on http://%s/metrics", os.environ[ADDRESS])
    httpd.serve_forever()
    return 0
