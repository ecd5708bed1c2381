"""Done when: one request id is followed in the JSON logs from the checkout request through the payment task,
the confirmation email task and the SMTP hop, to the delivered email's X-Request-Id header.

The real path: the shop's views (Django's test client), the Mollie simulator over HTTP, the outbox relayed to
the Redis broker of the test settings, a Dramatiq worker with the shop's middleware, and an SMTP server on
loopback. Mollie's webhook is a request of its own (its own id); the sync it queues carries the id of the
checkout request that created the payment, and every task that sync queues carries it on."""

import email

import pytest
from oscar.core.loading import get_model

from shop.notifications.models import OutgoingEmail
from shop.payments.models import Payment
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, webhook

Order = get_model("order", "Order")

CHECKOUT = "checkout-7f3a9c"
WEBHOOK = "webhook-51b2e0"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_request_id_follows_a_checkout_to_the_confirmation_email(
    client, lamp, mollie, smtp_server, task_worker, json_logs
):
    checkout_to_preview(client, lamp, method="ideal")
    response = place_order(client, HTTP_X_REQUEST_ID=CHECKOUT)
    assert response.status_code == 302 and response["X-Request-ID"] == CHECKOUT
    payment = Payment.objects.get()
    order = Order.objects.get()
    pay_at_mollie(payment.checkout_url)
    assert webhook(client, payment.mollie_id, HTTP_X_REQUEST_ID=WEBHOOK).status_code == 200
    task_worker.wait_idle()

    assert Order.objects.get().status == "Paid"
    traced = json_logs.lines(request_id=CHECKOUT)
    # The checkout request: its own lines, and the order it placed.
    assert any(
        line["event"] == "request_finished" and line["request"] == "POST /shop/checkout/preview/" for line in traced
    )
    assert any(line["event"].startswith(f"order {order.number} placed") for line in traced)
    # The call that created the payment at Mollie, logged and sent with the id.
    assert any(line["event"] == "mollie call" and line["method"] == "POST" for line in traced)
    created = [r for r in mollie.requests if r["method"] == "POST" and r["path"].rstrip("/") == "/v2/payments"]
    assert [r["request_id"] for r in created] == [CHECKOUT]
    # The payment task, the confirmation task and the delivery task, each under its own task id.
    tasks = {line["actor"]: line["task_id"] for line in traced if line["event"] == "task started"}
    assert {"sync_payment", "send_order_confirmation", "send_email"} <= set(tasks)
    assert len(set(tasks.values())) == len(tasks), "each task has its own task id"
    # Once the task has read the payment, its lines (the call to Mollie, the status change, the end) name it.
    sync_lines = [line for line in traced if line.get("actor") == "sync_payment" and line["event"] != "task started"]
    assert {line["event"] for line in sync_lines} >= {"mollie call", "task done"}
    assert all(line["order_number"] == order.number and line["payment_id"] == payment.pk for line in sync_lines)
    # The SMTP hop, and the email the shopper receives.
    (sent,) = [line for line in traced if line["event"] == "email sent"]
    assert sent["actor"] == "send_email" and sent["delivery"] == "smtp"
    assert sent["smtp_server"] == f"127.0.0.1:{smtp_server.port}"
    assert sent["email_id"] == OutgoingEmail.objects.get(subject__contains=order.number).pk
    (delivered,) = [email.message_from_bytes(m.content) for m in smtp_server.messages]
    assert delivered["X-Request-Id"] == CHECKOUT
    assert delivered["Message-ID"] == sent["message_id"]
    # The webhook request logs under its own id, naming the payment it queued the sync for.
    (webhook_line,) = json_logs.lines(request_id=WEBHOOK, event="request_finished")
    assert webhook_line["payment_id"] == payment.pk and webhook_line["mollie_id"] == payment.mollie_id
