"""The hosted checkout a shopper is sent to: plain HTML forms, no JavaScript.

The tester plays shopper and bank at once: choose a method (when the shop did not), then an outcome.
"""

from html import escape

from .methods import METHODS
from .replies import Reply, html_reply, redirect
from .resources import Urls
from .state import Payment, Store

TITLE = "Mollie simulator — test payment"
OUTCOMES = ("paid", "authorized", "failed", "canceled", "expired", "open")
STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1b1f24; }
main { max-width: 36rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
fieldset { border: 1px solid #c5cad3; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.method { display: flex; align-items: center; gap: .5rem; margin: .4rem 0; }
.method img { width: 64px; height: 24px; }
.outcomes { display: flex; flex-wrap: wrap; gap: .5rem; }
button { font: inherit; padding: .6rem 1rem; border: 2px solid #1b1f24; border-radius: 6px; background: #fff;
         color: #1b1f24; cursor: pointer; }
button.primary { background: #0b5cad; border-color: #0b5cad; color: #fff; }
button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.note { color: #4a5260; }
"""


def _layout(heading: str, content: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{escape(heading)}</h1>{content}</main></body></html>"
    )


def _summary(payment: Payment) -> str:
    method = METHODS[payment.method].description if payment.method else "not chosen yet"
    return (
        '<section aria-labelledby="order-heading"><h2 id="order-heading">Order</h2><dl>'
        f"<dt>Shop description</dt><dd>{escape(payment.description)}</dd>"
        f"<dt>Amount</dt><dd>{escape(payment.currency)} {payment.amount:.2f}</dd>"
        f"<dt>Method</dt><dd>{escape(method)}</dd>"
        f"<dt>Payment</dt><dd><code>{escape(payment.id)}</code></dd>"
        f"<dt>Status</dt><dd>{escape(payment.status)}</dd></dl></section>"
    )


def _method_choice(payment: Payment, urls: Urls) -> str:
    options = []
    for index, method_id in enumerate(payment.choices):
        spec = METHODS[method_id]
        checked = " checked" if index == 0 else ""
        options.append(
            f'<div class="method"><input type="radio" id="method-{spec.id}" name="method" value="{spec.id}" '
            f'required{checked}><label for="method-{spec.id}"><img src="{urls.public}/images/{spec.id}.svg" alt=""> '
            f"{escape(spec.description)}</label></div>"
        )
    return f"<fieldset><legend>Payment method</legend>{''.join(options)}</fieldset>"


def _transfer_details(payment: Payment) -> str:
    details = payment.details or {}
    rows = (
        ("Beneficiary", details.get("bankName")),
        ("IBAN", details.get("bankAccount")),
        ("BIC", details.get("bankBic")),
        ("Reference", details.get("transferReference")),
        ("Amount", f"{payment.currency} {payment.amount:.2f}"),
    )
    cells = "".join(f"<dt>{label}</dt><dd>{escape(str(value))}</dd>" for label, value in rows)
    return (
        '<section aria-labelledby="transfer-heading"><h2 id="transfer-heading">Transfer details</h2>'
        f'<p class="note">The shopper transfers the amount with this reference.</p><dl>{cells}</dl></section>'
    )


def _outcome_buttons(payment: Payment) -> list[tuple[str, str]]:
    """(status, label) pairs; the first is the happy path."""
    if payment.method == "banktransfer":
        return [
            ("paid", "Transfer received (paid)"),
            ("open", "Awaiting transfer (stay open)"),
            ("canceled", "Canceled"),
            ("expired", "Expired"),
        ]
    happy = ("authorized", "Authorized") if payment.method and METHODS[payment.method].authorizes else ("paid", "Paid")
    buttons = [happy, ("failed", "Failed"), ("canceled", "Canceled"), ("expired", "Expired")]
    if payment.method is None and "banktransfer" in payment.choices:
        buttons.append(("open", "Awaiting transfer (stay open)"))
    return buttons


def checkout_page(payment: Payment, urls: Urls) -> Reply:
    if not payment.awaiting_shopper:
        return html_reply(200, _finished(payment))
    parts = [_summary(payment), f'<form method="post" action="/checkout/{escape(payment.id)}">']
    if payment.method is None:
        parts.append(_method_choice(payment, urls))
        if any(METHODS[m].authorizes for m in payment.choices):
            parts.append('<p class="note">With Pay later (Klarna), “Paid” ends as “Authorized”.</p>')
    else:
        parts.append(f'<input type="hidden" name="method" value="{escape(payment.method)}">')
        if payment.method == "banktransfer":
            parts.append(_transfer_details(payment))
    buttons = "".join(
        f'<button type="submit" name="status" value="{status}" class="{"primary" if index == 0 else "secondary"}">'
        f"{escape(label)}</button>"
        for index, (status, label) in enumerate(_outcome_buttons(payment))
    )
    parts.append(f'<fieldset><legend>Outcome</legend><div class="outcomes">{buttons}</div></fieldset></form>')
    return html_reply(200, _layout(TITLE, "".join(parts)))


def _finished(payment: Payment) -> str:
    return _layout(
        TITLE,
        f"<p>This payment is finished: its status is <strong>{escape(payment.status)}</strong>.</p>"
        + _summary(payment)
        + f'<p><a href="{escape(payment.redirect_url)}">Return to the shop</a></p>',
    )


def _problem(status: int, message: str, payment_id: str) -> Reply:
    return html_reply(
        status,
        _layout(
            TITLE, f'<p role="alert">{escape(message)}</p><p><a href="/checkout/{escape(payment_id)}">Back</a></p>'
        ),
    )


def checkout_submit(store: Store, payment_id: str, form: dict[str, str]) -> Reply:
    """Apply the shopper's outcome, queue the webhook, and send the shopper back to the shop (303)."""
    with store.lock:
        payment = store.payments.get(payment_id)
        if payment is None:
            return not_found(payment_id)
        if not payment.awaiting_shopper:
            # A resubmitted form (back button) changes nothing, as at Mollie.
            return redirect(payment.redirect_url)
        method = payment.method or form.get("method")
        if method not in payment.choices:
            return _problem(400, "Choose one of the payment methods offered.", payment_id)
        status = form.get("status")
        if status not in OUTCOMES:
            return _problem(400, f"Choose an outcome: {', '.join(OUTCOMES)}.", payment_id)
        authorizes = METHODS[method].authorizes
        if status == "paid" and authorizes:
            status = "authorized"
        if status == "authorized" and not authorizes:
            return _problem(400, f"{METHODS[method].description} payments are paid, not authorized.", payment_id)
        # Mollie calls the webhook when the status changes; staying open changes nothing.
        store.set_status(payment_id, status, method=method, notify=status != payment.status)
        if status == "canceled" and payment.cancel_url:
            return redirect(payment.cancel_url)
        return redirect(payment.redirect_url)


def not_found(payment_id: str) -> Reply:
    return html_reply(404, _layout(TITLE, f"<p>No payment exists with token {escape(payment_id)}.</p>"))


def dashboard_page(payment: Payment) -> Reply:
    """A read-only view of one payment, standing in for Mollie's dashboard link."""
    records = [
        *(("Refund", refund, refund.status) for refund in payment.refunds),
        *(("Chargeback", c, "reversed" if c.reversed_at else "") for c in payment.chargebacks),
        *(("Capture", capture, capture.status) for capture in payment.captures),
    ]
    rows = [
        f"<li>{kind} <code>{escape(record.id)}</code>: {escape(payment.currency)} {record.amount:.2f} {status}</li>"
        for kind, record, status in records
    ]
    history = f"<h2>Refunds, chargebacks and captures</h2><ul>{''.join(rows)}</ul>" if rows else ""
    return html_reply(200, _layout("Mollie simulator — payment", _summary(payment) + history))
