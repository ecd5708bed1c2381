from django.db import models


class OutgoingEmail(models.Model):
    """An email as rendered at the moment it was sent, waiting for (or past) delivery.

    Rendering happens in the request, inside its transaction; delivery happens
    in the `emails` queue, which can retry without re-rendering. An email whose
    delivery was given up (retries exhausted, or its task outlived `max_age`)
    ends `failed` with the reason in `last_error`; staff can send it again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"

    subject = models.CharField(max_length=998)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The request (or task chain) that wrote the email: sent as its X-Request-Id header.
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            # The abandoned-email sweep and the queued gauges read only queued rows.
            models.Index(fields=["created_at"], name="email_queued_idx", condition=models.Q(status="queued")),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


class OutgoingEmailAttachment(models.Model):
    """An attachment stored with its email, in the same transaction, private to the database.

    Either a file (`content` holds its exact bytes; text is stored as UTF-8) or,
    when `mime_part` is set, a whole MIME part the sender built (headers and
    transfer-encoded body, as `MIMEBase.as_bytes()` wrote them).
    """

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.TextField(blank=True)
    mimetype = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField(help_text="Bytes of the attached file")
    mime_part = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.filename or '(unnamed)'} ({self.mimetype}, {self.size} bytes)"
