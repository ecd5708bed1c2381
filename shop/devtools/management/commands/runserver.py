from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver

from shop.devtools.conf import OIDC_PROVIDER_ID, OIDC_PROVIDER_NAME, devtools_setting, mollie_simulator_url
from shop.devtools.inprocess import InProcessWorker
from shop.devtools.simulators import (
    OIDC_IDENTITY,
    carrier_simulator,
    demo_identity_provider_registered,
    host_and_port,
    mollie_simulator,
    oidc_simulator,
)


class Command(StaticRunserver):
    help = (
        "Django's development server, plus the in-process task worker (SHOP_IN_PROCESS_WORKER) "
        "with the periodic tasks, the Mollie simulator (SHOP_MOLLIE_SIMULATOR), the carrier simulator "
        "(SHOP_CARRIER_SIMULATOR) and the OpenID Connect simulator (SHOP_OIDC_SIMULATOR)."
    )

    def inner_run(self, *args, **options):
        # inner_run runs in the reloaded child process: the worker lives where requests are served.
        if settings.SHOP_IN_PROCESS_WORKER:
            InProcessWorker().start(schedule=True)
            self.stdout.write("Tasks and periodic tasks run in this process (no Redis needed).")
        if devtools_setting("SHOP_MOLLIE_SIMULATOR"):
            self._start_mollie_simulator()
        if devtools_setting("SHOP_CARRIER_SIMULATOR"):
            self._start_carrier_simulator()
        if devtools_setting("SHOP_OIDC_SIMULATOR"):
            self._start_oidc_simulator()
        super().inner_run(*args, **options)

    def _start_carrier_simulator(self):
        url = devtools_setting("CARRIER_SIMULATOR_URL")
        step_seconds = devtools_setting("SHOP_CARRIER_SIMULATOR_STEP_SECONDS")
        host, port = host_and_port(url)
        simulator = carrier_simulator(host=host, port=port, auto_advance_seconds=step_seconds)
        try:
            simulator.start()
        except OSError as exc:  # e.g. `manage.py simulators` already serves that port
            self.stdout.write(f"Carrier simulator not started on {url}: {exc}")
            return
        self.stdout.write(
            f"Tracking comes from the carrier simulator at {simulator.url}: a shipped parcel moves one step "
            f"every {step_seconds:.0f} s; the tracking poll asks every 5 min."
        )

    def _start_mollie_simulator(self):
        url = mollie_simulator_url()
        host, port = host_and_port(url)
        simulator = mollie_simulator(host=host, port=port)
        try:
            simulator.start()
        except OSError as exc:  # e.g. `manage.py simulators` already serves that port
            self.stdout.write(f"Mollie simulator not started on {url}: {exc}")
            return
        self.stdout.write(f"Payments go to the Mollie simulator at {simulator.url} (no real money).")

    def _start_oidc_simulator(self):
        url = devtools_setting("OIDC_SIMULATOR_URL")
        host, port = host_and_port(url)
        provider = oidc_simulator(host=host, port=port)
        try:
            provider.start()
        except OSError as exc:  # e.g. `manage.py simulators` already serves that port
            self.stdout.write(f"OpenID Connect simulator not started on {url}: {exc}")
            return
        if not demo_identity_provider_registered():  # SHOP_OIDC_SIMULATOR set without dev.py's registration
            self.stdout.write(f"OpenID Connect simulator at {provider.url}, registered nowhere in the settings.")
            return
        self.stdout.write(
            f'Sign in or up with "{OIDC_PROVIDER_NAME}" on the login page: the OpenID Connect simulator at '
            f"{provider.url} has {OIDC_IDENTITY.name} ({OIDC_IDENTITY.email}) signed in."
        )
        if SocialApp.objects.filter(provider_id=OIDC_PROVIDER_ID).exists():
            self.stdout.write(
                f"A Social application with provider id {OIDC_PROVIDER_ID} is in the database as well: delete it "
                "in Django admin (the settings register this provider; both at once break its sign-in)."
            )
