import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from shop.devtools.conf import (
    OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET,
    OIDC_PROVIDER_ID,
    OIDC_PROVIDER_NAME,
    devtools_setting,
    mollie_simulator_url,
)
from shop.devtools.simulators import (
    OIDC_IDENTITY,
    carrier_push_urls,
    carrier_simulator,
    demo_identity_provider_registered,
    host_and_port,
    mollie_simulator,
    oidc_simulator,
)

SIMULATORS = ("mollie", "carriers", "oidc")


class Command(BaseCommand):
    help = (
        "Run the local simulators in the foreground until Ctrl-C (or SIGTERM), for a shop started without "
        "runserver (gunicorn, a second checkout): Mollie's v2 API, hosted checkout and webhooks; PostNL's and "
        "DHL's tracking APIs with pushes to the shop; an OpenID Connect provider with a person signed in. "
        "Each listens where the settings point the shop (MOLLIE_API_ENDPOINT, CARRIER_SIMULATOR_URL, "
        "OIDC_SIMULATOR_URL) unless told otherwise; port 0 picks a free one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=SIMULATORS,
            help="Start only this simulator (repeatable; default: all three).",
        )
        parser.add_argument("--host", default=None, help="Interface to listen on (default: the settings' host).")
        mollie_host, mollie_port = host_and_port(mollie_simulator_url())
        carriers_port = host_and_port(devtools_setting("CARRIER_SIMULATOR_URL"))[1]
        oidc_port = host_and_port(devtools_setting("OIDC_SIMULATOR_URL"))[1]
        parser.add_argument("--mollie-port", type=int, default=mollie_port, help="default %(default)s")
        parser.add_argument(
            "--mollie-public-url",
            help="Base URL a browser uses to reach the Mollie checkout, if not the listening address.",
        )
        parser.add_argument(
            "--refund-settle-delay",
            type=float,
            default=5.0,
            help='Seconds until a new refund becomes "refunded" and the payment webhook is called (default 5).',
        )
        parser.add_argument("--carriers-port", type=int, default=carriers_port, help="default %(default)s")
        parser.add_argument(
            "--auto-advance",
            type=float,
            default=60.0,
            help="Seconds per step (announced, in transit, out for delivery, delivered) for parcels the shop "
            "asks about; 0 turns it off (default 60).",
        )
        parser.add_argument(
            "--shop-url",
            default=settings.SHOP_BASE_URL,
            help="The shop the carriers push to (default SHOP_BASE_URL, %(default)s).",
        )
        parser.add_argument("--oidc-port", type=int, default=oidc_port, help="default %(default)s")
        parser.add_argument("--oidc-client-id", default=OIDC_CLIENT_ID, help="default %(default)s")
        parser.add_argument("--oidc-client-secret", default=OIDC_CLIENT_SECRET, help="default %(default)s")

    def handle(self, *args, only, host, **options):
        chosen = only or SIMULATORS
        started = []
        request_log = self._log_requests_here()
        try:
            if "mollie" in chosen:
                started.append(self._start_mollie(host, options))
            if "carriers" in chosen:
                started.append(self._start_carriers(host, options))
            if "oidc" in chosen:
                started.append(self._start_oidc(host, options))
            self.stdout.write(self.style.SUCCESS("Simulators running (Ctrl-C stops them)."))
            self.stdout.flush()
            self._wait_for_stop()
            self.stdout.write("Stopping the simulators.")
        finally:
            for simulator in reversed(started):
                simulator.stop()
            request_log()

    def _start_mollie(self, host, options):
        default_host, _ = host_and_port(mollie_simulator_url())
        simulator = mollie_simulator(
            host=host or default_host,
            port=options["mollie_port"],
            public_url=options["mollie_public_url"],
            refund_settle_delay=options["refund_settle_delay"],
        )
        simulator.start()
        self.stdout.write(f"Mollie simulator on {simulator.url}")
        self.stdout.write(f"  MOLLIE_API_ENDPOINT={simulator.url}  MOLLIE_API_KEY=test_<anything>")
        return simulator

    def _start_carriers(self, host, options):
        default_host, _ = host_and_port(devtools_setting("CARRIER_SIMULATOR_URL"))
        push_urls = carrier_push_urls(options["shop_url"])
        simulator = carrier_simulator(
            host=host or default_host,
            port=options["carriers_port"],
            auto_advance_seconds=options["auto_advance"] or None,
            push_urls=push_urls,
        )
        simulator.start()
        self.stdout.write(f"Carrier simulator on {simulator.url}")
        for code, push_url in push_urls.items():
            self.stdout.write(f"  {code}: API_URL={simulator.url}/{code}  pushes to {push_url}")
        return simulator

    def _start_oidc(self, host, options):
        default_host, _ = host_and_port(devtools_setting("OIDC_SIMULATOR_URL"))
        provider = oidc_simulator(
            host=host or default_host,
            port=options["oidc_port"],
            client_id=options["oidc_client_id"],
            client_secret=options["oidc_client_secret"],
        )
        provider.start()
        self.stdout.write(f"OpenID Connect simulator on {provider.url} (signed in: {OIDC_IDENTITY.email})")
        if demo_identity_provider_registered():  # dev.py: never a Social application row as well
            self.stdout.write(f'  The settings register it: "{OIDC_PROVIDER_NAME}" on the login and sign-up pages.')
            return provider
        self.stdout.write(
            f"  Django admin → Social applications: provider OpenID Connect, provider id {OIDC_PROVIDER_ID}, "
            f"client id {provider.client_id}, secret key {provider.client_secret}, "
            f'settings {{"server_url": "{provider.url}"}}'
        )
        return provider

    def _log_requests_here(self):
        """One line per request on this command's stdout, whatever the project's logging config says;
        returns what undoes it."""
        request_log = logging.getLogger("shop.devtools")
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        saved = request_log.level, request_log.propagate
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False

        def undo():
            request_log.removeHandler(handler)
            request_log.level, request_log.propagate = saved

        return undo

    @staticmethod
    def _wait_for_stop() -> None:
        """Until Ctrl-C or SIGTERM (what a process manager or the benchmarks send): both end cleanly."""
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
