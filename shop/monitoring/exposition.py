"""The web's `/metrics` body: this process's registry, or, when several web processes share a
PROMETHEUS_MULTIPROC_DIR (gunicorn with more than one worker), the counts of all of them.

django-prometheus's own view drops every custom collector in multiprocess mode; the database gauges
(metrics.py) are added back here, read once per scrape.
"""

import os

from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from .metrics import COLLECTORS


def metrics_response() -> HttpResponse:
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        for collector in COLLECTORS:
            registry.register(collector)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
