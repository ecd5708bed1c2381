from oscar.apps.communication import utils

from shop.branding.name import shop_name


class Dispatcher(utils.Dispatcher):
    """Oscar renders its emails without a request, so no context processor runs: the shop's name (the editors'
    setting) goes into every email's context here, for Oscar's own emails (stock alerts, password and email
    changes) as for the order emails."""

    def get_base_context(self, **kwargs):
        return {"shop_name": shop_name(kwargs.get("request")), **super().get_base_context(**kwargs)}
