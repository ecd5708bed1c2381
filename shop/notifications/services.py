import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop.outbox.services import outbox_enqueue

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def email_queue(*, message: EmailMessage) -> OutgoingEmail:
    """Store a rendered message and queue its delivery in the current transaction."""
    from .tasks import send_email  # tasks import services: keep the cycle lazy

    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
        "",
    )
    if message.attachments:
        # Attachments (receipts) arrive with the payments work; refuse rather than drop.
        raise ValueError("OutboxEmailBackend does not store attachments yet")
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            subject=message.subject,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            headers=dict(message.extra_headers),
            body=message.body,
            html_body=html,
        )
        outbox_enqueue(actor=send_email, args=(email.pk,))
    return email


def email_deliver(*, email_id: int) -> bool:
    """Hand a stored email to the delivery backend once; True if sent now.

    The row lock makes a duplicate task wait and then see the email as sent.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            logger.warning("email %s does not exist; nothing to send", email_id)
            return False
        if email.status == OutgoingEmail.Status.SENT:
            logger.info("email %s was already sent; skipping", email_id)
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=email.from_email,
            to=email.to,
            cc=email.cc,
            bcc=email.bcc,
            reply_to=email.reply_to,
            headers=email.headers,
            connection=get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False),
        )
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        try:
            message.send()
        except Exception as exc:
            failure = exc
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.attempts += 1
            email.last_error = ""
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            logger.info("email %s sent to %s", email_id, email.to)
            return True
    # Record the failure, then raise so dramatiq retries with backoff.
    OutgoingEmail.objects.filter(pk=email_id).update(attempts=F("attempts") + 1, last_error=repr(failure)[:2000])
    logger.error("sending email %s failed, the task will retry: %r", email_id, failure)
    raise failure
