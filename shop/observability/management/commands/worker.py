"""`manage.py worker`: django_dramatiq's `rundramatiq`, plus one metrics endpoint for all its processes.

prometheus_client decides at import whether counts go to shared files, so PROMETHEUS_MULTIPROC_DIR must be
in the environment before a worker process imports it: this command sets it, then hands over to the
`dramatiq` command (which inherits it), and adds the endpoint as a fork function
(shop/observability/worker_exposition.py) serving WORKER_METRICS_ADDRESS. Options are rundramatiq's.
The directory is WORKER_METRICS_DIR, never an inherited PROMETHEUS_MULTIPROC_DIR: that one would already
apply to this command's own process, before it could create or empty the directory.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django_dramatiq.management.commands.rundramatiq import Command as RunDramatiqCommand

from shop.observability import worker_exposition

FORK = f"{worker_exposition.__name__}:{worker_exposition.serve.__name__}"


class Command(RunDramatiqCommand):
    help = "Run the Dramatiq workers (rundramatiq) and serve their metrics on WORKER_METRICS_ADDRESS."

    def handle(self, *args, **options):
        address = settings.WORKER_METRICS_ADDRESS
        if address:
            _, port = worker_exposition.split_address(address)  # a typo fails here, not in the fork
            default = Path(tempfile.gettempdir()) / f"shop-worker-metrics-{port}"
            directory = Path(settings.WORKER_METRICS_DIR or default)
            _wipe(directory)
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
            os.environ[worker_exposition.ADDRESS] = address
            os.environ[worker_exposition.ALLOWED] = ",".join(settings.METRICS_ALLOWED_NETWORKS)
            options["forks"] = [*options.get("forks", []), FORK]
        return super().handle(*args, **options)


def _wipe(directory: Path) -> None:
    """Counts of a previous run would be added to this one's: start from an empty directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
