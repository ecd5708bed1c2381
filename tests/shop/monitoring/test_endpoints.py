import pytest


@pytest.mark.django_db
def test_metrics_are_served_to_the_monitoring_network_only(client):
    inside = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    outside = client.get("/metrics", REMOTE_ADDR="203.0.113.9")

    assert inside.status_code == 200
    assert b"django_http_requests_total_by_method_total" in inside.content
    assert outside.status_code == 403


@pytest.mark.django_db
def test_behind_the_proxy_metrics_go_by_the_address_the_proxy_saw(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}  # every request arrives from the reverse proxy on this host

    visitor = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9", **via_proxy)
    forged = client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9", **via_proxy)
    scraper = client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", **via_proxy)

    assert (visitor.status_code, forged.status_code, scraper.status_code) == (403, 403, 200)
    # Straight to the app, not through the proxy: the header proves nothing.
    direct = client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", REMOTE_ADDR="203.0.113.9")
    assert direct.status_code == 403


@pytest.mark.django_db
def test_each_response_carries_a_request_id(client):
    mine = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    fresh = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")
    assert mine["X-Request-ID"] == "abc-123"
    assert fresh["X-Request-ID"] != "bad id with spaces" and len(fresh["X-Request-ID"]) == 16


@pytest.mark.django_db
def test_pages_refuse_framing_except_the_editor(client):
    assert client.get("/healthz")["X-Frame-Options"] == "DENY"
    assert client.get("/cms/login/")["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_metrics_show_the_outbox_backlog_and_undelivered_emails(client):
    from shop.notifications.models import OutgoingEmail
    from shop.outbox.models import OutboxMessage

    OutboxMessage.objects.create(actor_name="send_email", queue_name="emails", args=[1])
    OutgoingEmail.objects.create(subject="Hi", from_email="shop@example.com", to=["a@example.com"])

    body = client.get("/metrics").content.decode()

    assert "shop_outbox_pending 1.0" in body
    assert "shop_emails_queued 1.0" in body
    assert "shop_outbox_oldest_pending_seconds" in body


@pytest.mark.django_db
def test_metrics_count_failed_emails_from_the_same_single_query(client, django_assert_num_queries):
    from prometheus_client.parser import text_string_to_metric_families

    from shop.monitoring.metrics import ShopHealthCollector
    from shop.notifications.models import OutgoingEmail

    for status in ["failed", "failed", "queued", "sent"]:
        OutgoingEmail.objects.create(subject=status, from_email="shop@example.com", to=["a@example.com"], status=status)

    body = client.get("/metrics").content.decode()
    values = {sample.name: sample.value for family in text_string_to_metric_families(body) for sample in family.samples}

    assert values["shop_emails_failed"] == 2
    assert values["shop_emails_queued"] == 1
    # Three for the outbox (waiting and failed, in flight, republished: each on its own index), one for every
    # email gauge, one for the dead letters awaiting a decision.
    with django_assert_num_queries(5):
        list(ShopHealthCollector().collect())


@pytest.mark.django_db
def test_metrics_show_tasks_in_flight_and_those_the_broker_lost(client):
    from datetime import timedelta

    from django.utils import timezone
    from prometheus_client.parser import text_string_to_metric_families

    from shop.outbox.models import OutboxMessage

    published = timezone.now() - timedelta(minutes=10)
    OutboxMessage.objects.create(actor_name="send_email", queue_name="emails", args=[1], published_at=published)
    OutboxMessage.objects.create(
        actor_name="sync_payment", queue_name="payments", args=[2], published_at=published, republished=2
    )
    OutboxMessage.objects.create(
        actor_name="send_email", queue_name="emails", args=[3], published_at=published, done_at=timezone.now()
    )

    body = client.get("/metrics").content.decode()
    values = {sample.name: sample.value for family in text_string_to_metric_families(body) for sample in family.samples}

    assert values["shop_outbox_in_flight"] == 2
    assert 590 < values["shop_outbox_oldest_in_flight_seconds"] < 700
    assert values["shop_outbox_republished_recent"] == 2


@pytest.mark.django_db
def test_metrics_count_failed_outbox_rows_and_dead_letters_awaiting_a_decision(client):
    from django.utils import timezone
    from prometheus_client.parser import text_string_to_metric_families

    from shop.outbox.models import DeadLetter, OutboxMessage

    OutboxMessage.objects.create(actor_name="renamed", queue_name="emails", failed_at=timezone.now())
    OutboxMessage.objects.create(actor_name="send_email", queue_name="emails", args=[1])
    for n, status in enumerate(["awaiting", "awaiting", "retried", "discarded"]):
        DeadLetter.objects.create(message_id=f"m{n}", actor_name="a", queue_name="q", reason="failed", status=status)

    body = client.get("/metrics").content.decode()
    values = {sample.name: sample.value for family in text_string_to_metric_families(body) for sample in family.samples}

    assert values["shop_outbox_failed"] == 1
    assert values["shop_outbox_pending"] == 1, "a failed row is not pending"
    assert values["shop_dead_letters"] == 2
