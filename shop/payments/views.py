"""Mollie's webhook: take the id, hand the work to the `payments` queue, answer at once."""

import logging
import re

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.outbox.services import outbox_enqueue

from .models import Payment
from .tasks import sync_payment

logger = logging.getLogger(__name__)

MOLLIE_PAYMENT_ID = re.compile(r"tr_[A-Za-z0-9]{1,64}")


@csrf_exempt  # Mollie cannot send a CSRF token; the body carries only an id we look up ourselves
@require_POST
@transaction.non_atomic_requests
def mollie_webhook(request):
    """Mollie posts `id=tr_…` and nothing else we trust: the task fetches the payment to learn its state."""
    mollie_id = request.POST.get("id", "")
    if not MOLLIE_PAYMENT_ID.fullmatch(mollie_id):
        logger.warning("mollie webhook: malformed id %r", mollie_id[:80])
        return HttpResponseBadRequest("Expected a form field id=tr_…\n")
    payment_id = Payment.objects.filter(mollie_id=mollie_id).values_list("pk", flat=True).first()
    if payment_id is None:
        # Unknown ids get 200 (Mollie stops retrying) and change nothing.
        logger.warning("mollie webhook: unknown payment %s ignored", mollie_id)
        return HttpResponse(status=200)
    with transaction.atomic():
        outbox_enqueue(actor=sync_payment, args=(payment_id,))
    return HttpResponse(status=200)
