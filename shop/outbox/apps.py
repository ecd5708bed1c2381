from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

OWN_PACKAGES = ("shop.", "cms", "oscar_forks.")


def import_task_modules() -> None:
    """Declare every actor of the project's own apps on the broker.

    The relay publishes by actor name, so any process that relays (web,
    worker, scheduler) must know all actors, not just those it imported.
    """
    for config in apps.get_app_configs():
        if config.name.startswith(OWN_PACKAGES) and module_has_submodule(config.module, "tasks"):
            import_module(f"{config.name}.tasks")


class OutboxConfig(AppConfig):
    name = "shop.outbox"
    label = "outbox"

    def ready(self):
        import_task_modules()
