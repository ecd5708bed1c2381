"""Run as `python -m tests.support.product_imports` under some settings: sets Django up, imports everything a
process on those settings may import, and prints JSON saying which development-tool modules got loaded.

"Everything": the URLconf with every include and view (the resolver populated), each installed app's usual
modules (models, admin, urls, views, forms, signals, tasks, wagtail_hooks, ...), and every module of the shop's
own packages (shop/, cms/, oscar_forks/) except the settings modules and the development tools themselves, which
this probe must never import on its own account."""

import importlib
import json
import pkgutil
import sys

import django

# Where the development tools live, and where they lived before shop/devtools/.
DEVTOOLS_MODULES = (
    "shop.devtools",
    "shop.payments.simulator",
    "shop.fulfilment.simulator",
    "shop.accounts.simulator",
    "shop.core.loopback",
)
PRODUCT_PACKAGES = ("shop", "cms", "oscar_forks")
NOT_WALKED = ("shop.devtools", "shop.settings")  # the tools themselves; settings modules other than the one in use
APP_MODULES = (
    "models",
    "admin",
    "urls",
    "views",
    "forms",
    "signals",
    "receivers",
    "tasks",
    "services",
    "selectors",
    "checks",
    "wagtail_hooks",
    "search_indexes",
)


def is_devtools(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in DEVTOOLS_MODULES)


def import_if_present(name: str) -> None:
    """Import `name`; a module that does not exist is skipped, a module that fails to import is an error."""
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name != name:
            raise


def walk(package_name: str) -> list[str]:
    """Every module under `package_name`, imported, except the NOT_WALKED subtrees (which are never imported)."""
    package = importlib.import_module(package_name)
    walked = [package_name]
    for module in pkgutil.iter_modules(package.__path__, package_name + "."):
        if any(module.name == skip or module.name.startswith(skip + ".") for skip in NOT_WALKED):
            continue
        if module.ispkg:
            walked += walk(module.name)
        else:
            importlib.import_module(module.name)
            walked.append(module.name)
    return walked


def main() -> None:
    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import get_commands
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018  (populating the resolver imports every included URLconf and view)
    for app_config in apps.get_app_configs():
        for module in APP_MODULES:
            import_if_present(f"{app_config.name}.{module}")
    commands = get_commands()  # the shop's own commands are imported by the walk below
    walked = [module for package in PRODUCT_PACKAGES for module in walk(package)]
    print(
        json.dumps(
            {
                "installed_devtools": [app for app in settings.INSTALLED_APPS if is_devtools(app)],
                "loaded_devtools": sorted(name for name in sys.modules if is_devtools(name)),
                "commands": {name: commands[name] for name in ("runserver", "simulators") if name in commands},
                "walked": len(walked),
                "loaded": sorted(sys.modules),
            }
        )
    )


if __name__ == "__main__":
    main()
