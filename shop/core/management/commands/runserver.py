from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver


class Command(StaticRunserver):
    help = (
        "Django's development server, plus the in-process task worker (SHOP_IN_PROCESS_WORKER) "
        "with the periodic tasks, the Mollie simulator (SHOP_MOLLIE_SIMULATOR) and the carrier simulator "
        "(SHOP_CARRIER_SIMULATOR)."
    )

    def inner_run(self, *args, **options):
        # inner_run runs in the reloaded child process: the worker lives where requests are served.
        if settings.SHOP_IN_PROCESS_WORKER:
            from shop.core.inprocess import InProcessWorker

            InProcessWorker().start(schedule=True)
            self.stdout.write("Tasks and periodic tasks run in this process (no Redis needed).")
        if settings.SHOP_MOLLIE_SIMULATOR:
            self._start_mollie_simulator()
        if settings.SHOP_CARRIER_SIMULATOR:
            self._start_carrier_simulator()
        super().inner_run(*args, **options)

    def _start_carrier_simulator(self):
        from shop.fulfilment.simulator import CarrierSimulator

        address = urlsplit(settings.CARRIER_SIMULATOR_URL)
        carriers = settings.SHOP_CARRIERS
        simulator = CarrierSimulator(
            host=address.hostname,
            port=address.port,
            api_keys={code: options["API_KEY"] for code, options in carriers.items()},
            push_secrets={code: options["PUSH_SECRET"] for code, options in carriers.items()},
            auto_advance_seconds=settings.SHOP_CARRIER_SIMULATOR_STEP_SECONDS,
        )
        try:
            simulator.start()
        except OSError as exc:  # e.g. `manage.py carrier_simulator` already serves that port
            self.stdout.write(f"Carrier simulator not started on {settings.CARRIER_SIMULATOR_URL}: {exc}")
            return
        self.stdout.write(
            f"Tracking comes from the carrier simulator at {simulator.url}: a shipped parcel moves one step "
            f"every {settings.SHOP_CARRIER_SIMULATOR_STEP_SECONDS:.0f} s; the tracking poll asks every 5 min."
        )

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
