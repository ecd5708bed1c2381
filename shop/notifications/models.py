from django.db import models


class OutgoingEmail(models.Model):
    """An email as rendered at the moment it was sent, waiting for (or past) delivery.

    Rendering happens in the request, inside its transaction; delivery happens
    in the `emails` queue, which can retry without re-rendering.
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

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"
