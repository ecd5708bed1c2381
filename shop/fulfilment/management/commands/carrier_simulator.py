import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from shop.devtools.carriers import CarrierSimulator


class Command(BaseCommand):
    help = (
        "Run the local carrier simulator (PostNL Shipping Status v2 and DHL Shipment Tracking - Unified, "
        "with pushes to the shop) until Ctrl-C. Keys, push secrets and push URLs come from SHOP_CARRIERS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8002, help="Port to listen on (default 8002).")
        parser.add_argument(
            "--auto-advance",
            type=float,
            default=60.0,
            help="Seconds per step (announced, in transit, out for delivery, delivered) for parcels the shop "
            "asks about; 0 turns it off (default 60).",
        )

    def handle(self, *args, host, port, auto_advance, **options):
        carriers = getattr(settings, "SHOP_CARRIERS", {}) or {}
        base_url = getattr(settings, "SHOP_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        push_urls = {code: f"{base_url}/fulfilment/carriers/{code}/push/" for code in carriers}
        # One line per request on this command's stdout, whatever the project's logging config says.
        request_log = logging.getLogger("shop.devtools.carriers")
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False

        simulator = CarrierSimulator(
            host=host,
            port=port,
            push_urls=push_urls,
            push_secrets={code: options.get("PUSH_SECRET", "") for code, options in carriers.items()},
            api_keys={code: options["API_KEY"] for code, options in carriers.items() if options.get("API_KEY")},
            auto_advance_seconds=auto_advance or None,
        )
        simulator.start()
        self.stdout.write(self.style.SUCCESS(f"Carrier simulator on {simulator.url} (Ctrl-C stops it)"))
        for code in carriers:
            self.stdout.write(f"  {code}: API_URL={simulator.url}/{code}  pushes to {push_urls[code]}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the carrier simulator.")
        finally:
            simulator.stop()
            request_log.removeHandler(handler)
