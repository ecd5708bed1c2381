"""Issuing receipts and credit notes: a gap-free number, a PDF, a private file, once."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from oscar.core.loading import get_model
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from shop.payments.constants import method_name
from shop.payments.models import Refund
from shop.payments.selectors import payment_paid
from shop.pricing.vat import order_vat_summary, vat_share

from .models import DocumentCounter, Receipt

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")

PDF = "application/pdf"


def document_number_next(*, series: str) -> int:
    """Take the next number of a series; call inside the transaction that stores the document."""
    DocumentCounter.objects.bulk_create([DocumentCounter(series=series)], ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(series=series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def receipt_issue(*, order_id: int) -> Receipt:
    """The order's receipt, issued on first call (the order must be paid); later calls return it."""
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        existing = order.receipts.filter(kind=Receipt.Kind.RECEIPT).first()
        if existing is not None:
            return existing
        payment = payment_paid(order)
        if payment is None:
            raise ValueError(f"order {order.number} has no paid payment: no receipt yet")
        year = timezone.localdate().year
        number = f"{year}-{document_number_next(series=f'receipt-{year}'):06d}"
        context = _document_context(order, number=number, kind="Receipt")
        context.update(payment=payment, payment_method=method_name(payment.method))
        receipt = _store(
            order, Receipt.Kind.RECEIPT, number, "receipts/receipt.html", context, total=order.total_incl_tax
        )
    logger.info("order %s: receipt %s issued", order.number, number)
    return receipt


def credit_note_issue(*, refund_id: int) -> Receipt:
    """The credit note for a completed refund, issued once."""
    with transaction.atomic():
        refund = Refund.objects.select_related("payment").get(pk=refund_id)
        order = Order._default_manager.select_for_update().get(pk=refund.payment.order_id)
        existing = Receipt.objects.filter(refund=refund).first()
        if existing is not None:
            return existing
        year = timezone.localdate().year
        number = f"CN{year}-{document_number_next(series=f'credit-note-{year}'):06d}"
        context = _document_context(order, number=number, kind="Credit note")
        context.update(
            vat=vat_share(context["vat"], refund.amount),
            refund=refund,
            receipt=order.receipts.filter(kind=Receipt.Kind.RECEIPT).first(),
            payment_method=method_name(refund.payment.method),
        )
        note = _store(
            order,
            Receipt.Kind.CREDIT_NOTE,
            number,
            "receipts/credit_note.html",
            context,
            total=-refund.amount,
            refund=refund,
        )
    logger.info("order %s: credit note %s issued for refund %s", order.number, number, refund.mollie_id)
    return note


def receipt_attachment(order) -> list:
    """[filename, content, mimetype] for an email, when the order is paid; [] otherwise."""
    if payment_paid(order) is None:
        return []
    receipt = receipt_issue(order_id=order.pk)
    if receipt.emailed_at is None:  # in the email's transaction: rolls back with it
        Receipt.objects.filter(pk=receipt.pk).update(emailed_at=timezone.now())
    with receipt.pdf.open("rb") as pdf:
        return [[receipt.filename, pdf.read(), PDF]]


def _document_context(order, *, number: str, kind: str) -> dict:
    return {
        "kind": kind,
        "number": number,
        "issued_on": timezone.localdate(),
        "order": order,
        "lines": list(order.lines.all()),
        "vat": order_vat_summary(order),
        "seller": settings.SHOP_SELLER,
        "customer_address": order.billing_address or order.shipping_address,
        "customer_email": order.email,
    }


def document_pdf_render(*, html: str) -> bytes:
    """The PDF of a receipt's HTML, fetching nothing: the HTML holds what customers and staff typed (names,
    addresses, product titles), so no file:// or http:// URL in it may reach the server's disk or network.
    Only data: URIs load; the fonts come from the system (fontconfig), not from URLs, and there is no
    base URL for a relative one to resolve against."""
    # WeasyPrint asks its fetcher for every stylesheet, image, font and attachment URL; this one refuses every
    # scheme but data:. One per render: a fetcher keeps state while it opens a URL, and workers run threads.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _store(order, kind, number, template, context, *, total, refund=None) -> Receipt:
    pdf = document_pdf_render(html=render_to_string(template, context))
    document = Receipt(order=order, kind=kind, number=number, total=total, currency=order.currency, refund=refund)
    document.pdf.save(document.filename, ContentFile(pdf), save=False)
    document.save()
    return document
