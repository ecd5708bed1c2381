"""Payments' writes: create one at Mollie for a pending order, learn its state, apply it exactly once.

One module per job, imported from where it lives (this package re-exports nothing):
- checkout: the payment a pending order is paid with, created at Mollie once.
- sync: learning a payment's state from Mollie (webhook, return page, reconcile job) and applying it.
- refunds, chargebacks: money going back, sent by us or reported by Mollie.
- capture: charging a pay-later payment when its order ships.
- unpaid_orders: canceling orders that no payment will settle (timed out, or given up by the shopper).
- order_records, log_context: what the others share.

Rules that keep money safe:
- A payment row (with its idempotency key) is written before Mollie is called, and
  only the request that claims it calls Mollie's create: a double submit makes one payment.
- No row lock is ever held across a call to Mollie: calls happen between short transactions.
- A state change is applied under the order's and the payment's row locks, and only
  if it changes something: five identical webhooks have the effect of one.
- Mollie is the source of truth: the shop learns a status by fetching the payment,
  never from what a webhook or a redirect says.
"""
