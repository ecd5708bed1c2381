"""The Mollie simulator, driven by the real mollie-api-python client over real HTTP on loopback."""

import logging
import re
import threading
import time
from datetime import datetime
from urllib.parse import parse_qs

import pytest
import requests
from mollie.api.client import Client
from mollie.api.error import NotFoundError, UnauthorizedError, UnprocessableEntityError

from shop.devtools.loopback import LoopbackServer, Reply
from shop.devtools.mollie import MollieSimulator

RETRY_DELAYS = (0.05, 0.05)
LOG = logging.getLogger(__name__)


@pytest.fixture(scope="module")
def running_simulator():
    simulator = MollieSimulator(webhook_retry_delays=RETRY_DELAYS)
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def sim(running_simulator):
    running_simulator.reset()
    return running_simulator


def client_for(sim, key="test_simulator0000000000"):
    client = Client()
    client.set_api_key(key)
    client.set_api_endpoint(sim.url)
    return client


@pytest.fixture
def mollie(sim):
    return client_for(sim)


class WebhookReceiver:
    """A shop's webhook endpoint on loopback that answers with the given status codes in turn (the last repeats)."""

    def __init__(self, answers=(200,)):
        self.answers = list(answers)
        self.calls = []
        self.server = LoopbackServer(("127.0.0.1", 0), self._respond, name="WebhookReceiver", logger=LOG)
        self.server.serve_in_background()
        self.url = f"{self.server.url}/payments/webhook/"

    def _respond(self, method, target, headers, body) -> Reply:
        # Any method is recorded: a followed redirect would arrive here as a GET.
        self.calls.append(
            {"method": method, "path": target, "content_type": headers.get("Content-Type"), "body": body.decode()}
        )
        status = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return Reply(status, headers=(("Location", "/moved"),))

    def stop(self):
        self.server.close()


@pytest.fixture
def receiver():
    receivers = []

    def start(answers=(200,)):
        receivers.append(WebhookReceiver(answers))
        return receivers[-1]

    yield start
    for started in receivers:
        started.stop()


def payment_data(**overrides):
    data = {
        "amount": {"currency": "EUR", "value": "10.00"},
        "description": "Order 100001",
        "redirectUrl": "https://shop.example/checkout/return/100001/",
        "metadata": {"order_number": "100001"},
    }
    return {**data, **overrides}


def paid_payment(mollie, sim, **overrides):
    payment = mollie.payments.create(payment_data(**overrides))
    sim.set_status(payment.id, "paid", notify=False)
    return mollie.payments.get(payment.id)


def test_create_and_get_round_trip_in_mollies_payment_shape(sim, mollie):
    created = mollie.payments.create(payment_data(webhookUrl="https://shop.example/payments/webhook/"))
    fetched = mollie.payments.get(created.id)

    assert re.fullmatch(r"tr_[A-Za-z0-9]{10}", created.id)
    assert dict(fetched) == dict(created)
    assert fetched.resource == "payment" and fetched.mode == "test" and fetched.status == "open"
    assert datetime.fromisoformat(fetched.created_at).utcoffset().total_seconds() == 0
    assert fetched.created_at.endswith("+00:00") and fetched.expires_at > fetched.created_at
    assert fetched.amount == {"value": "10.00", "currency": "EUR"}
    assert fetched.description == "Order 100001" and fetched.metadata == {"order_number": "100001"}
    assert fetched.method is None and fetched.is_cancelable is True and not fetched.is_paid()
    assert (fetched.profile_id, fetched.sequence_type) == ("pfl_simulator", "oneoff")
    assert fetched.redirect_url == "https://shop.example/checkout/return/100001/"
    assert fetched.webhook_url == "https://shop.example/payments/webhook/"
    assert fetched.checkout_url == f"{sim.url}/checkout/{created.id}"
    assert fetched["_links"]["self"]["href"] == f"{sim.url}/v2/payments/{created.id}"
    assert sim.payments_created() == 1

    create_call, get_call = sim.requests
    assert (create_call["method"], create_call["path"], create_call["status"]) == ("POST", "/v2/payments", 201)
    assert create_call["idempotency_key"] and create_call["body"]["description"] == "Order 100001"
    assert (get_call["method"], get_call["path"], get_call["status"]) == ("GET", f"/v2/payments/{created.id}", 200)


def test_the_api_answers_hal_json(sim):
    response = requests.get(f"{sim.url}/v2/methods", headers={"Authorization": "Bearer test_abc"})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/hal+json"


def test_a_request_without_a_test_key_is_unauthorized(sim):
    with pytest.raises(UnauthorizedError, match="test API keys only"):
        client_for(sim, key="live_abcdefghijklmnopqrstuvwxyz12").payments.create(payment_data())

    response = requests.post(f"{sim.url}/v2/payments", json=payment_data())
    assert response.status_code == 401
    body = response.json()
    assert body["title"] == "Unauthorized Request"
    assert body["detail"] == "Missing authentication, or failed to authenticate"
    assert body["_links"]["documentation"]["type"] == "text/html"
    assert sim.payments_created() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": {"currency": "EUR", "value": "10"}}, "amount.value"),
        ({"amount": {"currency": "EUR", "value": "0.00"}}, "amount.value"),
        ({"amount": {"currency": "euro", "value": "10.00"}}, "amount.currency"),
        ({"amount": None}, "amount"),
        ({"description": ""}, "description"),
        ({"description": "x" * 256}, "description"),
        ({"redirectUrl": None}, "redirectUrl"),
        ({"method": "bitcoin"}, "method"),
        ({"method": "ideal", "amount": {"currency": "USD", "value": "10.00"}}, "amount.currency"),
        ({"captureMode": "manual", "method": "ideal"}, "captureMode"),
        ({"method": "banktransfer", "dueDate": "2000-01-01"}, "dueDate"),  # Mollie's earliest is tomorrow
        ({"method": "banktransfer", "dueDate": "5 days"}, "dueDate"),
    ],
)
def test_an_invalid_payment_is_unprocessable_and_names_the_field(sim, mollie, overrides, field):
    with pytest.raises(UnprocessableEntityError) as error:
        mollie.payments.create(payment_data(**overrides))

    assert error.value.status == 422 and error.value.field == field
    assert sim.payments_created() == 0


def test_a_repeated_idempotency_key_replays_the_first_answer_and_creates_nothing(sim, mollie):
    first = mollie.payments.create(payment_data(), idempotency_key="order-100001-attempt-1")
    again = mollie.payments.create(payment_data(), idempotency_key="order-100001-attempt-1")

    assert again.id == first.id and sim.payments_created() == 1
    raw = requests.post(
        f"{sim.url}/v2/payments",
        json=payment_data(),
        headers={"Authorization": "Bearer test_simulator0000000000", "Idempotency-Key": "order-100001-attempt-1"},
    )
    assert raw.status_code == 201 and raw.headers["Idempotent-Replayed"] == "true" and raw.json()["id"] == first.id

    with pytest.raises(UnprocessableEntityError, match="already used for a different request"):
        mollie.payments.create(payment_data(description="Order 100002"), idempotency_key="order-100001-attempt-1")
    assert sim.payments_created() == 1

    # Keys belong to one API key: another merchant's identical key is a new request.
    other = client_for(sim, key="test_othermerchant000000").payments.create(
        payment_data(), idempotency_key="order-100001-attempt-1"
    )
    assert other.id != first.id and sim.payments_created() == 2


def test_concurrent_creates_with_one_key_make_one_payment(sim, mollie):
    ids = []

    def create():
        ids.append(client_for(sim).payments.create(payment_data(), idempotency_key="same-key").id)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(ids)) == 1 and len(ids) == 8 and sim.payments_created() == 1


def method_ids(mollie, **params):
    return [method.id for method in mollie.methods.list(**params)]


def test_methods_are_filtered_by_amount_currency_and_country(sim, mollie):
    assert method_ids(mollie, amount={"value": "10.00", "currency": "EUR"}) == [
        "creditcard",
        "ideal",
        "bancontact",
        "paypal",
        "banktransfer",
        "klarna",
    ]
    assert method_ids(mollie, amount={"value": "10.00", "currency": "USD"}) == ["creditcard", "paypal"]
    assert "bancontact" not in method_ids(mollie, amount={"value": "10.00", "currency": "EUR"}, billingCountry="NL")
    assert "bancontact" in method_ids(mollie, amount={"value": "10.00", "currency": "EUR"}, billingCountry="BE")
    assert "klarna" not in method_ids(mollie, amount={"value": "10.00", "currency": "EUR"}, billingCountry="FR")
    assert "klarna" not in method_ids(mollie, amount={"value": "0.50", "currency": "EUR"})
    assert "creditcard" not in method_ids(mollie, amount={"value": "20000.00", "currency": "EUR"})

    listed = mollie.methods.list(amount={"value": "10.00", "currency": "EUR"})
    ideal = next(method for method in listed if method.id == "ideal")
    assert ideal.resource == "method" and ideal.description == "iDEAL" and ideal["status"] == "activated"
    assert ideal.minimum_amount == {"value": "0.01", "currency": "EUR"}
    assert next(method for method in listed if method.id == "paypal").maximum_amount is None
    image = requests.get(ideal.image_svg)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/svg+xml"
    assert ">iDEAL</text>" in image.text


def test_the_hosted_checkout_pays_redirects_and_calls_the_webhook(sim, mollie, receiver):
    shop = receiver()
    payment = mollie.payments.create(payment_data(webhookUrl=shop.url))

    page = requests.get(payment.checkout_url)
    assert page.status_code == 200 and "<title>Mollie simulator — test payment</title>" in page.text
    assert 'type="radio" id="method-ideal" name="method" value="ideal"' in page.text
    assert '<label for="method-ideal">' in page.text
    for status in ("paid", "failed", "canceled", "expired"):
        assert f'name="status" value="{status}"' in page.text

    answer = requests.post(payment.checkout_url, data={"method": "ideal", "status": "paid"}, allow_redirects=False)

    assert answer.status_code == 303 and answer.headers["Location"] == payment.redirect_url
    paid = mollie.payments.get(payment.id)
    assert paid.status == "paid" and paid.is_paid() and paid.paid_at and paid.method == "ideal"
    assert paid.details["consumerName"] and paid.details["consumerAccount"] and paid.details["consumerBic"]
    assert paid.amount_remaining == {"value": "10.00", "currency": "EUR"} and paid.checkout_url is None
    assert sim.wait_for_webhooks(timeout=5)
    assert shop.calls == [
        {
            "method": "POST",
            "path": "/payments/webhook/",
            "content_type": "application/x-www-form-urlencoded",
            "body": f"id={payment.id}",
        }
    ]
    assert [(d["attempt"], d["status_code"], d["error"]) for d in sim.webhook_deliveries] == [(1, 200, None)]
    assert "This payment is finished" in requests.get(payment.checkout_url).text


def test_bank_transfer_checkout_shows_the_transfer_and_can_stay_open(sim, mollie, receiver):
    shop = receiver()
    payment = mollie.payments.create(payment_data(method="banktransfer", webhookUrl=shop.url))
    assert re.fullmatch(r"RF\d{2}-\d{4}-\d{4}-\d{4}", payment.details["transferReference"])
    assert payment.details["bankAccount"] and payment.details["bankBic"] and payment.checkout_url

    page = requests.get(payment.checkout_url).text
    assert payment.details["transferReference"] in page and "Awaiting transfer (stay open)" in page
    assert "Transfer received (paid)" in page

    stay = requests.post(payment.checkout_url, data={"status": "open"}, allow_redirects=False)
    assert stay.status_code == 303 and mollie.payments.get(payment.id).status == "open"
    assert sim.wait_for_webhooks(timeout=5) and shop.calls == []

    requests.post(payment.checkout_url, data={"status": "paid"}, allow_redirects=False)
    assert mollie.payments.get(payment.id).is_paid()
    assert sim.wait_for_webhooks(timeout=5) and len(shop.calls) == 1


def test_a_canceled_checkout_returns_to_the_cancel_url(sim, mollie):
    payment = mollie.payments.create(payment_data(cancelUrl="https://shop.example/basket/"))

    answer = requests.post(
        payment.checkout_url, data={"method": "creditcard", "status": "canceled"}, allow_redirects=False
    )

    assert answer.headers["Location"] == "https://shop.example/basket/"
    assert mollie.payments.get(payment.id).status == "canceled"


def test_a_webhook_is_retried_until_the_shop_answers_200_and_redirects_are_not_followed(sim, mollie, receiver):
    shop = receiver(answers=(500, 302, 200))
    payment = mollie.payments.create(payment_data(webhookUrl=shop.url))

    sim.set_status(payment.id, "paid")

    assert sim.wait_for_webhooks(timeout=5)
    assert [(d["attempt"], d["status_code"]) for d in sim.webhook_deliveries] == [(1, 500), (2, 302), (3, 200)]
    assert [(call["method"], call["path"]) for call in shop.calls] == [("POST", "/payments/webhook/")] * 3


def test_a_webhook_is_given_up_after_the_last_retry_delay(sim, mollie, receiver):
    shop = receiver(answers=(503,))
    payment = mollie.payments.create(payment_data(webhookUrl=shop.url))

    sim.set_status(payment.id, "failed")

    assert sim.wait_for_webhooks(timeout=5)
    assert len(shop.calls) == len(RETRY_DELAYS) + 1
    assert [d["attempt"] for d in sim.webhook_deliveries] == [1, 2, 3]
    assert all(d["error"] == "HTTP 503" for d in sim.webhook_deliveries)


def test_refunds_up_to_the_remaining_amount_and_not_beyond(sim, mollie, receiver):
    shop = receiver()
    payment = paid_payment(mollie, sim, webhookUrl=shop.url)

    first = payment.refunds.create({"amount": {"currency": "EUR", "value": "4.00"}, "description": "Broken mug"})
    assert first.resource == "refund" and re.fullmatch(r"re_\w{10}", first.id) and first.status == "pending"
    assert first.payment_id == payment.id and first.amount == {"currency": "EUR", "value": "4.00"}
    assert first.description == "Broken mug"
    after_first = mollie.payments.get(payment.id)
    assert after_first.amount_refunded == {"value": "4.00", "currency": "EUR"}
    assert after_first.amount_remaining == {"value": "6.00", "currency": "EUR"}

    with pytest.raises(UnprocessableEntityError, match="higher than the amount remaining") as error:
        payment.refunds.create({"amount": {"currency": "EUR", "value": "6.01"}})
    assert error.value.field == "amount"

    payment.refunds.create({"amount": {"currency": "EUR", "value": "6.00"}})
    assert mollie.payments.get(payment.id).amount_remaining == {"value": "0.00", "currency": "EUR"}
    assert [refund.status for refund in payment.refunds.list()] == ["pending", "pending"]
    embedded = mollie.payments.get(payment.id, embed="refunds").get_embedded("refunds")
    assert [refund["amount"]["value"] for refund in embedded] == ["4.00", "6.00"]
    assert shop.calls == []

    settled = sim.settle_refunds()
    assert [refund["status"] for refund in settled] == ["refunded", "refunded"]
    assert payment.refunds.get(first.id).is_refunded()
    assert sim.wait_for_webhooks(timeout=5) and shop.calls[0]["body"] == f"id={payment.id}"


def test_an_unpaid_payment_cannot_be_refunded(sim, mollie):
    payment = mollie.payments.create(payment_data())

    with pytest.raises(UnprocessableEntityError, match="cannot be refunded"):
        payment.refunds.create({"amount": {"currency": "EUR", "value": "1.00"}})


def test_an_open_payment_can_be_canceled_once(sim, mollie):
    payment = mollie.payments.create(payment_data())

    canceled = mollie.payments.delete(payment.id)

    assert canceled.status == "canceled" and canceled.canceled_at and canceled.is_cancelable is False
    assert mollie.payments.get(payment.id).status == "canceled"
    with pytest.raises(UnprocessableEntityError, match="cannot be canceled"):
        mollie.payments.delete(payment.id)


def test_a_chargeback_shows_in_the_list_and_on_the_payment(sim, mollie, receiver):
    shop = receiver()
    payment = paid_payment(mollie, sim, webhookUrl=shop.url)

    chargeback = sim.create_chargeback(payment.id, "7.50")

    listed = list(payment.chargebacks.list())
    assert [c.id for c in listed] == [chargeback["id"]] and chargeback["id"].startswith("chb_")
    assert listed[0].amount == {"value": "7.50", "currency": "EUR"} and listed[0].payment_id == payment.id
    assert listed[0].reason["code"] and listed[0]["resource"] == "chargeback"
    after = mollie.payments.get(payment.id)
    assert after.amount_chargedback == {"value": "7.50", "currency": "EUR"}
    assert after.amount_remaining == {"value": "2.50", "currency": "EUR"} and after.status == "paid"
    assert sim.wait_for_webhooks(timeout=5) and len(shop.calls) == 1


def test_a_reversed_chargeback_carries_reversed_at_and_gives_the_money_back(sim, mollie, receiver):
    shop = receiver()
    payment = paid_payment(mollie, sim, webhookUrl=shop.url)
    chargeback = sim.create_chargeback(payment.id, "7.50", notify=False)

    answer = requests.post(f"{sim.url}/simulator/payments/{payment.id}/chargebacks/{chargeback['id']}/reverse")

    assert answer.status_code == 200 and answer.json()["reversedAt"]
    listed = list(mollie.payments.get(payment.id).chargebacks.list())
    assert listed[0].reversed_at == answer.json()["reversedAt"]
    after = mollie.payments.get(payment.id)
    assert after.amount_chargedback == {"value": "0.00", "currency": "EUR"}
    assert after.amount_remaining == {"value": "10.00", "currency": "EUR"}
    assert sim.wait_for_webhooks(timeout=5) and len(shop.calls) == 1  # the reversal is news: Mollie calls
    again = requests.post(f"{sim.url}/simulator/payments/{payment.id}/chargebacks/{chargeback['id']}/reverse")
    assert again.status_code == 422 and "already reversed" in again.json()["error"]
    unknown = requests.post(f"{sim.url}/simulator/payments/{payment.id}/chargebacks/chb_nope/reverse")
    assert unknown.status_code == 404


def test_a_capture_turns_an_authorized_payment_into_a_paid_one(sim, mollie, receiver):
    shop = receiver()
    payment = mollie.payments.create(payment_data(method="klarna", webhookUrl=shop.url))
    page = requests.get(payment.checkout_url).text
    assert 'name="status" value="authorized"' in page and ">Authorized</button>" in page
    assert ">Paid</button>" not in page
    requests.post(payment.checkout_url, data={"status": "authorized"}, allow_redirects=False)
    authorized = mollie.payments.get(payment.id)
    assert authorized.status == "authorized" and authorized.authorized_at and not authorized.is_paid()

    capture = authorized.captures.create()

    assert capture.id.startswith("cpt_") and capture.amount == {"value": "10.00", "currency": "EUR"}
    paid = mollie.payments.get(payment.id)
    assert paid.status == "paid" and paid.is_paid() and paid.amount_captured == {"value": "10.00", "currency": "EUR"}
    assert [c.id for c in paid.captures.list()] == [capture.id]
    with pytest.raises(UnprocessableEntityError, match="only authorized payments"):
        paid.captures.create()
    assert sim.wait_for_webhooks(timeout=5) and len(shop.calls) == 2


def test_unknown_payments_paths_and_bodies_get_mollies_errors(sim, mollie):
    with pytest.raises(NotFoundError, match="No payment exists with token tr_unknown123."):
        mollie.payments.get("tr_unknown123")
    with pytest.raises(NotFoundError):
        mollie.payments.get("tr_x")

    headers = {"Authorization": "Bearer test_abc", "Content-Type": "application/json"}
    unknown = requests.get(f"{sim.url}/v2/orders", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["title"] == "Not Found"
    malformed = requests.post(f"{sim.url}/v2/payments", data=b"{not json", headers=headers)
    assert malformed.status_code == 400 and malformed.json()["status"] == 400
    assert requests.get(f"{sim.url}/nowhere").json()["status"] == 404


def test_control_endpoints_drive_the_simulator_from_another_process(sim, mollie):
    payment = mollie.payments.create(payment_data())

    answer = requests.post(f"{sim.url}/simulator/payments/{payment.id}/status", data={"status": "paid"})
    assert answer.status_code == 200 and answer.json()["status"] == "paid"
    assert mollie.payments.get(payment.id).is_paid()
    refused = requests.post(f"{sim.url}/simulator/payments/{payment.id}/status", json={"status": "failed"})
    assert refused.status_code == 422

    stats = requests.get(f"{sim.url}/simulator/stats").json()
    assert stats["payments_created"] == 1 and stats["payments_by_status"] == {"paid": 1}
    logged = requests.get(f"{sim.url}/simulator/requests").json()
    assert [entry["method"] for entry in logged] == ["POST", "GET"]

    assert requests.post(f"{sim.url}/simulator/reset").status_code == 200
    assert sim.payments_created() == 0 and sim.requests == []
    with pytest.raises(NotFoundError):
        mollie.payments.get(payment.id)


def test_refunds_can_settle_by_themselves(receiver):
    simulator = MollieSimulator(webhook_retry_delays=RETRY_DELAYS, refund_settle_delay=0.05)
    simulator.start()
    try:
        shop = receiver()
        mollie = client_for(simulator)
        payment = paid_payment(mollie, simulator, webhookUrl=shop.url)
        refund = payment.refunds.create({"amount": {"currency": "EUR", "value": "1.00"}})

        deadline = time.monotonic() + 5
        while payment.refunds.get(refund.id).status != "refunded" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert payment.refunds.get(refund.id).status == "refunded"
        assert simulator.wait_for_webhooks(timeout=5) and parse_qs(shop.calls[0]["body"]) == {"id": [payment.id]}
    finally:
        simulator.stop()
