import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, with Mollie: place the order first, then pay; pages for the way back."""

    name = "oscar_forks.checkout"

    def ready(self):
        super().ready()
        self.payment_return_view = get_class("checkout.views", "PaymentReturnView")
        self.payment_retry_view = get_class("checkout.views", "PaymentRetryView")
        self.payment_abandon_view = get_class("checkout.views", "PaymentAbandonView")

    def get_urls(self):
        signed = "payment/<str:number>/<str:hash>/"
        urls = [
            path(signed, self.payment_return_view.as_view(), name="payment-return"),
            path(f"{signed}pay/", self.payment_retry_view.as_view(), name="payment-retry"),
            path(f"{signed}basket/", self.payment_abandon_view.as_view(), name="payment-abandon"),
        ]
        return super().get_urls() + self.post_process_urls(urls)
