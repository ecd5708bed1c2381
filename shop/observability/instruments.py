"""Counters and histograms of things as they happen, kept in the memory of the process they happen in.

Events and durations are counted where they occur: the web process counts what requests do (orders
placed, webhook deliveries, carrier pushes, stock conflicts, searches), a worker counts what tasks do
(payments applied by the webhook's sync, emails sent, carrier polls). Each process serves its own
counts: the web on `/metrics`, a worker on its exposition port (`manage.py worker`, which keeps the
counts of all its processes in PROMETHEUS_MULTIPROC_DIR). They restart from zero with the process, which
Prometheus's rate() and increase() expect. Totals and states the database knows (orders by status,
payments by method and status, backlogs) are read from PostgreSQL at scrape time instead
(`collectors.py`): they survive restarts and are the same whichever process answers.

This module imports nothing of the shop, so every domain may import it.
"""

from django.db import transaction
from prometheus_client import Counter, Histogram

orders_placed = Counter("shop_orders_placed", "Orders placed (pending payment), counted at commit")
orders_paid = Counter(
    "shop_orders_paid",
    "Orders settled (paid, authorized, or nothing to pay) and queued for their confirmation, counted at commit",
)
payment_status_changes = Counter(
    "shop_payment_status_changes",
    "Payments that moved to a new status, by Mollie method and the new status",
    ["method", "status"],
)
payment_status_lag = Histogram(
    "shop_payment_status_lag_seconds",
    "From the moment Mollie records a payment's new status (paidAt, failedAt, …) to the shop applying it: "
    "webhook delivery, the payments queue and the sync together",
    ["status"],
    buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600),
)
mollie_webhooks = Counter(
    "shop_mollie_webhooks",
    "Deliveries of Mollie's webhook, by outcome: queued (a sync), coalesced (one already waits), "
    "throttled, unknown (payment not ours), malformed",
    ["outcome"],
)
mollie_requests = Counter(
    "shop_mollie_requests",
    "Calls to Mollie's API, by operation and outcome: ok, unavailable (network, 5xx), refused (4xx)",
    ["operation", "outcome"],
)
refund_status_changes = Counter(
    "shop_refund_status_changes", "Refunds that moved to a new status (refunded, failed, …)", ["status"]
)
chargebacks = Counter(
    "shop_chargebacks", "Chargebacks recorded (event=received) and reversed by the bank (event=reversed)", ["event"]
)
stock_conflicts = Counter(
    "shop_stock_conflicts",
    "Orders refused for want of stock: at checkout (stage=checkout), or a late payment whose stock "
    "was sold meanwhile (stage=late_payment, refunded automatically)",
    ["stage"],
)
carrier_polls = Counter(
    "shop_carrier_polls",
    "Tracking polls of a carrier, by outcome: ok, not_found (not yet known to the carrier), unavailable",
    ["carrier", "outcome"],
)
carrier_pushes = Counter(
    "shop_carrier_pushes",
    "Tracking pushes from a carrier, by outcome: accepted, throttled, rejected, unauthenticated",
    ["carrier", "outcome"],
)
emails_sent = Counter("shop_emails_sent", "Emails handed to the SMTP server")
email_send_errors = Counter(
    "shop_email_send_errors",
    "Attempts to hand an email to the SMTP server that failed (final=yes: the email is given up and marked failed)",
    ["final"],
)
search_duration = Histogram(
    "shop_search_duration_seconds",
    "Time the search backend takes for one query (searches, autocomplete, catalogue listings), by backend",
    ["backend"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def count_at_commit(child, amount: float = 1) -> None:
    """Count once the current transaction commits (at once outside one): a change rolled back, as by a
    task that fails and is retried, counts nothing."""
    transaction.on_commit(lambda: child.inc(amount))


def initialise(*, carriers) -> None:
    """Create the known label sets at zero: a series then exists before its first event, so alerts
    and rate() see 0 rather than nothing."""
    for outcome in ("queued", "coalesced", "throttled", "unknown", "malformed"):
        mollie_webhooks.labels(outcome=outcome)
    for stage in ("checkout", "late_payment"):
        stock_conflicts.labels(stage=stage)
    for event in ("received", "reversed"):
        chargebacks.labels(event=event)
    for final in ("yes", "no"):
        email_send_errors.labels(final=final)
    for carrier in carriers:
        for outcome in ("ok", "not_found", "unavailable"):
            carrier_polls.labels(carrier=carrier, outcome=outcome)
        for outcome in ("accepted", "throttled", "rejected", "unauthenticated"):
            carrier_pushes.labels(carrier=carrier, outcome=outcome)
