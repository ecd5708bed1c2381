from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver


class Command(StaticRunserver):
    help = "Django's development server, plus the in-process task worker when SHOP_IN_PROCESS_WORKER is on."

    def inner_run(self, *args, **options):
        # inner_run runs in the reloaded child process: the worker lives where requests are served.
        if settings.SHOP_IN_PROCESS_WORKER:
            from shop.core.inprocess import InProcessWorker

            InProcessWorker().start()
            self.stdout.write("Tasks run in this process (no Redis needed).")
        super().inner_run(*args, **options)
