from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver


class Command(StaticRunserver):
    help = (
        "Django's development server, plus the in-process task worker (SHOP_IN_PROCESS_WORKER) "
        "and the Mollie simulator (SHOP_MOLLIE_SIMULATOR)."
    )

    def inner_run(self, *args, **options):
        # inner_run runs in the reloaded child process: the worker lives where requests are served.
        if settings.SHOP_IN_PROCESS_WORKER:
            from shop.core.inprocess import InProcessWorker

            InProcessWorker().start()
            self.stdout.write("Tasks run in this process (no Redis needed).")
        if settings.SHOP_MOLLIE_SIMULATOR:
            self._start_mollie_simulator()
        super().inner_run(*args, **options)

    def _start_mollie_simulator(self):
        from shop.payments.simulator import MollieSimulator

        endpoint = urlsplit(settings.MOLLIE_API_ENDPOINT)
        simulator = MollieSimulator(host=endpoint.hostname, port=endpoint.port, refund_settle_delay=5)
        try:
            simulator.start()
        except OSError as exc:  # e.g. `manage.py mollie_simulator` already serves that port
            self.stdout.write(f"Mollie simulator not started on {settings.MOLLIE_API_ENDPOINT}: {exc}")
            return
        self.stdout.write(f"Payments go to the Mollie simulator at {simulator.url} (no real money).")
