import logging
import mimetypes
from collections.abc import Iterable
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from email.mime.base import MIMEBase
from email.policy import compat32

import structlog
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.message import DEFAULT_ATTACHMENT_MIME_TYPE, EmailAttachment
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shop.observability import instruments
from shop.observability.context import log_context_bind, request_id_get
from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_enqueue_by_name

from .constants import SEND_EMAIL
from .headers import email_headers, email_message_id
from .models import OutgoingEmail, OutgoingEmailAttachment

logger = logging.getLogger(__name__)
events = structlog.get_logger(__name__)


def email_queue(*, message: EmailMessage) -> OutgoingEmail:
    """Store a rendered message with its attachments and queue its delivery in the current transaction."""
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
        "",
    )
    # Serialise before writing anything: an attachment we cannot store fails the send, loudly.
    attachments = [_attachment_to_row(item) for item in message.attachments]
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
            request_id=request_id_get(),
        )
        for row in attachments:
            row.email = email
        OutgoingEmailAttachment.objects.bulk_create(attachments)  # one INSERT for all of them
        outbox_enqueue_by_name(actor_name=SEND_EMAIL, args=(email.pk,))
    return email


def email_deliver(*, email_id: int, final_attempt: bool = False) -> bool:
    """Hand a stored email to the delivery backend once; True if sent now.

    The row lock makes a duplicate task wait and then see the email as sent.
    A failure is recorded under the same lock and re-raised so Dramatiq retries;
    on the `final_attempt` (the caller knows no retry follows) it marks the email
    failed. A failed email is left alone until staff send it again.
    """
    failure = None
    log_context_bind(email_id=email_id)
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            logger.warning("email %s does not exist; nothing to send", email_id)
            return False
        if email.status == OutgoingEmail.Status.SENT:
            logger.info("email %s was already sent; skipping", email_id)
            return False
        if email.status == OutgoingEmail.Status.FAILED:
            logger.info("email %s is marked failed; skipping (staff can send it again)", email_id)
            return False
        try:
            _message_from_row(email).send()
        except Exception as exc:
            failure = exc
            email.attempts += 1
            email.last_error = repr(exc)[:2000]
            if final_attempt:
                email.status = OutgoingEmail.Status.FAILED
            email.save(update_fields=["status", "attempts", "last_error"])
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.attempts += 1
            email.last_error = ""
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            # The hop to the mail server, under the request id the email carries; never the recipients.
            events.info("email sent", message_id=email_message_id(email), **_delivery_route())
            instruments.emails_sent.inc()  # the SMTP server has it, whatever happens to the commit
            return True
    instruments.email_send_errors.labels(final="yes" if final_attempt else "no").inc()
    if final_attempt:
        logger.error(
            "email %s %r failed for good after %s attempts, marked failed: %r",
            email_id,
            email.subject,
            email.attempts,
            failure,
        )
    else:
        logger.error("sending email %s failed, the task will retry: %r", email_id, failure)
    raise failure


def _delivery_route() -> dict:
    backend = settings.EMAIL_DELIVERY_BACKEND
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return {"delivery": "smtp", "smtp_server": f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"}
    return {"delivery": backend}


def email_fail_abandoned(*, older_than: timedelta, batch_size: int = 500) -> int:
    """Mark failed the queued emails that no delivery task will reach any more; return how many.

    Dramatiq's AgeLimit drops a message `max_age` after it was first enqueued
    (retries keep that timestamp) without running the actor, so the row would stay
    queued forever. The message is created when the outbox relay publishes the row,
    so an email is abandoned when it is older than `older_than` and none of its
    outbox rows is still pending or was published within `older_than`: a relay
    delayed by a broker outage, or staff's "Send again", is a fresh message.
    """
    cutoff = timezone.now() - older_than
    reason = f"abandoned: no delivery task left after {older_than} (the task outlived its max_age)"
    old = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, created_at__lt=cutoff).order_by("pk")
    failed, after = 0, 0
    while batch := list(old.filter(pk__gt=after).values_list("pk", flat=True)[:batch_size]):
        after = batch[-1]
        live = OutboxMessage.objects.filter(actor_name=SEND_EMAIL, args__0__in=batch).filter(
            Q(published_at__isnull=True) | Q(published_at__gte=cutoff)
        )
        alive = {args[0] for args in live.values_list("args", flat=True)}
        with transaction.atomic():
            # SKIP LOCKED: an email being delivered right now is not abandoned.
            rows = (
                OutgoingEmail.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[pk for pk in batch if pk not in alive], status=OutgoingEmail.Status.QUEUED)
                .only("pk", "subject", "status", "last_error")
                .order_by("pk")
            )
            for email in rows:
                email.last_error = f"{reason}; last delivery error: {email.last_error}" if email.last_error else reason
                email.status = OutgoingEmail.Status.FAILED
                email.save(update_fields=["status", "last_error"])
                logger.error("email %s %r was never delivered, marked failed: %s", email.pk, email.subject, reason)
                failed += 1
    return failed


def email_requeue(*, email_ids: Iterable[int]) -> int:
    """Queue failed emails for delivery again (through the outbox); return how many.

    Emails that are not failed (queued or sent) are left alone, so sending again
    never duplicates a delivered email.
    """
    with transaction.atomic():
        failed = list(
            OutgoingEmail.objects.select_for_update()
            .filter(pk__in=list(email_ids), status=OutgoingEmail.Status.FAILED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=failed).update(status=OutgoingEmail.Status.QUEUED)
        for pk in failed:
            outbox_enqueue_by_name(actor_name=SEND_EMAIL, args=(pk,))
    for pk in failed:
        logger.info("email %s queued again by staff", pk)
    return len(failed)


# --- Attachments ------------------------------------------------------------


class _StoredMimePart(MIMEBase):
    """A MIME part parsed back from its stored bytes.

    A MIMEBase, so Django attaches it as it is; the parser creates it with only a
    policy, so it skips MIMEBase's Content-Type set-up: the headers come from the bytes.
    """

    def __init__(self, *, policy=compat32):
        Message.__init__(self, policy=policy)


def _attachment_to_row(item) -> OutgoingEmailAttachment:
    """Serialise one of Django's attachment forms; refuse (ValueError) what cannot be restored."""
    if isinstance(item, MIMEBase):
        # Kept whole (headers such as Content-ID included); restored by parsing the bytes.
        data = item.as_bytes()
        payload = None if item.is_multipart() else item.get_payload(decode=True)
        return OutgoingEmailAttachment(
            filename=item.get_filename() or "",
            mimetype=item.get_content_type(),
            content=data,
            size=len(payload) if payload is not None else len(data),
            mime_part=True,
        )
    try:
        filename, content, mimetype = item  # a (filename, content, mimetype) tuple or an EmailAttachment
    except (TypeError, ValueError):
        raise ValueError(f"cannot store attachment {item!r}: need (filename, content, mimetype) or MIMEBase") from None
    if filename is not None and not isinstance(filename, str):
        raise ValueError(
            f"cannot store attachment filename {filename!r}: pass the name as a str (Django encodes non-ASCII names)"
        )
    mimetype = mimetype or mimetypes.guess_type(filename or "")[0] or DEFAULT_ATTACHMENT_MIME_TYPE
    if "/" not in mimetype:
        raise ValueError(f"cannot store attachment {filename!r}: mimetype {mimetype!r} is not type/subtype")
    if mimetype == "message/rfc822":  # Django also accepts a message object here
        if isinstance(content, EmailMessage):
            content = content.message()
        if isinstance(content, Message):
            content = content.as_bytes()
    if isinstance(content, str):
        data = content.encode("utf-8")
    elif isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        if mimetype.startswith("text/"):
            try:  # Django sends text/* as str; bytes that are not UTF-8 are binary (as EmailMessage.attach does)
                data.decode("utf-8")
            except UnicodeDecodeError:
                mimetype = DEFAULT_ATTACHMENT_MIME_TYPE
    else:
        raise ValueError(f"cannot store attachment {filename!r}: content must be str or bytes, not {type(content)}")
    return OutgoingEmailAttachment(filename=filename or "", mimetype=mimetype, content=data, size=len(data))


def _attachment_from_row(row: OutgoingEmailAttachment):
    data = bytes(row.content)
    if row.mime_part:
        return message_from_bytes(data, _class=_StoredMimePart)
    content = data.decode("utf-8") if row.mimetype.startswith("text/") else data
    return EmailAttachment(row.filename or None, content, row.mimetype)


def _message_from_row(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email_headers(email),
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False),
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    message.attachments.extend(_attachment_from_row(row) for row in email.attachments.order_by("pk"))
    return message
