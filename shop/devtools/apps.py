from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The simulators and the dev server's commands: dev and test settings only (see the package docstring)."""

    name = "shop.devtools"
    label = "shop_devtools"
    verbose_name = "Development tools"
