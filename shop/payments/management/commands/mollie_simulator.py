import logging
import time

from django.core.management.base import BaseCommand

from shop.devtools.mollie import MollieSimulator


class Command(BaseCommand):
    help = (
        "Run the local Mollie simulator (v2 API subset, hosted checkout, webhook calls) until Ctrl-C. "
        "Point MOLLIE_API_ENDPOINT at the URL it prints."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8001, help="Port to listen on (default 8001).")
        parser.add_argument(
            "--public-url",
            help="Base URL a browser uses to reach the simulator's checkout, if not the listening address.",
        )
        parser.add_argument(
            "--refund-settle-delay",
            type=float,
            default=5.0,
            help='Seconds until a new refund becomes "refunded" and the payment webhook is called (default 5).',
        )

    def handle(self, *args, host, port, public_url, refund_settle_delay, **options):
        # One line per request on this command's stdout, whatever the project's logging config says.
        request_log = logging.getLogger("shop.devtools.mollie")
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False

        simulator = MollieSimulator(
            host=host, port=port, public_url=public_url, refund_settle_delay=refund_settle_delay
        )
        simulator.start()
        self.stdout.write(self.style.SUCCESS(f"Mollie simulator on {simulator.url} (Ctrl-C stops it)"))
        self.stdout.write(f"  MOLLIE_API_ENDPOINT={simulator.url}  MOLLIE_API_KEY=test_<anything>")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the Mollie simulator.")
        finally:
            simulator.stop()
            request_log.removeHandler(handler)
