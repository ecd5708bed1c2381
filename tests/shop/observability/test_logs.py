"""Structured logs: JSON in production and readable lines in dev, each carrying the request id, the task
that runs for it, and what the code knows (user, order, payment, email); a task logs under the request id
of whoever queued it."""

import json
import logging

import pytest
import structlog
from django.core.mail import EmailMessage
from dramatiq import Message, Worker

from shop.fulfilment.carriers import carrier_for
from shop.fulfilment.carriers.base import TrackingNotFound
from shop.notifications.models import OutgoingEmail
from shop.notifications.tasks import send_email
from shop.observability.logging import console_formatter
from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_enqueue, outbox_relay
from shop.payments.tasks import sync_payment
from tests.support.logs import JsonLogs
from tests.support.users import login, user_with_login
from tests.test_project import PRODUCTION_ENV, manage


@pytest.mark.django_db
def test_each_request_logs_its_start_and_end_with_its_id_the_user_and_the_client(client, json_logs):
    user = user_with_login("reader@example.com")
    login(client, "reader@example.com")

    response = client.get("/shop/accounts/", HTTP_X_REQUEST_ID="req-accounts-1", REMOTE_ADDR="198.51.100.7")

    started, finished = json_logs.lines(request_id="req-accounts-1", logger="django_structlog.middlewares.request")
    assert started["event"] == "request_started" and finished["event"] == "request_finished"
    assert started["user_id"] == finished["user_id"] == user.pk
    assert (
        finished["ip"] == "198.51.100.7"
        and finished["code"] == response.status_code
        and finished["request"] == "GET /shop/accounts/"
    )
    assert finished["level"] == "info" and finished["timestamp"].endswith("Z")


def test_the_console_format_is_a_line_a_person_reads():
    record = logging.LogRecord("shop.orders", logging.INFO, __file__, 1, "order %s placed", ("100042",), None)
    structlog.contextvars.bind_contextvars(request_id="req-7", order_number="100042")

    line = console_formatter().format(record)

    assert "order 100042 placed" in line and "request_id=req-7" in line and "order_number=100042" in line
    with pytest.raises(ValueError):
        json.loads(line)


def test_production_writes_one_json_object_per_line_and_a_person_may_ask_for_the_console():
    probe = "import logging; logging.getLogger('shop.probe').warning('hello %s', 'ann@example.com')"

    json_run = manage("shell", "--settings=shop.settings.production", "-c", probe, env_overrides=PRODUCTION_ENV)
    console_env = {**PRODUCTION_ENV, "LOG_FORMAT": "console"}
    console_run = manage("shell", "--settings=shop.settings.production", "-c", probe, env_overrides=console_env)
    refused = manage(
        "check", "--settings=shop.settings.production", env_overrides={**PRODUCTION_ENV, "LOG_FORMAT": "xml"}
    )

    assert json_run.returncode == 0, json_run.stderr
    line = json.loads(json_run.stderr.strip().splitlines()[-1])
    assert line["event"] == "hello a***@example.com" and line["logger"] == "shop.probe" and line["level"] == "warning"
    assert "hello a***@example.com" in console_run.stderr and "[shop.probe]" in console_run.stderr
    assert refused.returncode != 0 and "LOG_FORMAT must be console or json" in refused.stderr


@pytest.mark.django_db
def test_a_task_carries_the_request_id_of_whoever_queued_it(stub_broker):
    structlog.contextvars.bind_contextvars(request_id="req-checkout")
    row = outbox_enqueue(actor=send_email, args=(1,))
    sync_payment.send(7)  # straight to the broker, as the scheduled jobs do
    # The relay may run later, inside some other task: the row's own id is what it publishes.
    structlog.contextvars.bind_contextvars(request_id="task-relay")
    outbox_relay(ids=[row.pk])
    structlog.contextvars.clear_contextvars()
    sync_payment.send(8)  # nobody's request: no id

    assert OutboxMessage.objects.get().request_id == "req-checkout"
    (email,) = [Message.decode(m) for m in stub_broker.queues["emails"].queue]
    first, second = [Message.decode(m) for m in stub_broker.queues["payments"].queue]
    assert email.options["request_id"] == "req-checkout" and first.options["request_id"] == "req-checkout"
    assert "request_id" not in second.options


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_logs_a_task_under_its_request_id_and_its_own_task_id(stub_broker):
    structlog.contextvars.bind_contextvars(request_id="req-signup")
    EmailMessage("Welcome", "Hello.", to=["new@example.com"]).send()  # stored, relayed after commit
    structlog.contextvars.clear_contextvars()
    orphan = OutgoingEmail.objects.create(subject="Scheduled", from_email="shop@example.com", to=["b@example.com"])
    send_email.send(orphan.pk)
    welcome = OutgoingEmail.objects.get(subject="Welcome")

    with JsonLogs() as logs:
        worker = Worker(stub_broker, worker_threads=1, worker_timeout=100)
        worker.start()
        try:
            stub_broker.join("emails", timeout=30_000)
            worker.join()
        finally:
            worker.stop()

    started = {line["args"][0]: line for line in logs.lines(event="task started", actor="send_email")}
    sent = {line["email_id"]: line for line in logs.lines(event="email sent")}
    assert started[welcome.pk]["request_id"] == sent[welcome.pk]["request_id"] == "req-signup"
    assert sent[welcome.pk]["task_id"] == started[welcome.pk]["task_id"]
    task_id = started[orphan.pk]["task_id"]
    assert sent[orphan.pk]["request_id"] == f"task-{task_id[:12]}" and task_id != started[welcome.pk]["task_id"]
    done = logs.lines(event="task done")
    assert len(done) == 2 and all("email_id" in line for line in done)
    assert OutgoingEmail.objects.filter(status="sent").count() == 2


@pytest.mark.django_db
def test_calls_to_carriers_carry_the_request_id_and_are_logged(carriers, json_logs):
    structlog.contextvars.bind_contextvars(request_id="req-poll")

    with pytest.raises(TrackingNotFound):
        carrier_for("postnl").events("3SSHOP0000404", postcode="1012LG", country="NL")

    assert carriers.requests[-1]["headers"]["X-Request-Id"] == "req-poll"
    (call,) = json_logs.lines(event="carrier call", request_id="req-poll")
    assert call["carrier"] == "PostNL" and call["status"] == 200  # PostNL answers 200 for a parcel it lacks
