"""Orders in the states later work starts from: paid through the checkout, the simulator and the webhook."""

from oscar.core.loading import get_model

from shop.payments.models import Payment
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, webhook
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")


def paid_order(client, product, *, quantity: int = 1, method: str = "ideal", settle=run_outbox, **checkout):
    """Walk the checkout as a shopper, pay at the Mollie simulator, let the webhook's task run; the paid order.

    `settle` runs the tasks: the outbox in this thread, or a real worker's `wait_idle` in transactional tests."""
    checkout_to_preview(client, product, quantity=quantity, method=method, **checkout)
    response = place_order(client)
    assert response.status_code == 302, response.content[:300]
    pay_at_mollie(response["Location"])
    payment = Payment.objects.filter(checkout_url=response["Location"]).get()
    webhook(client, payment.mollie_id)
    settle()
    order = Order.objects.get(pk=payment.order_id)
    assert order.status in ("Paid", "Authorized"), order.status
    return order
