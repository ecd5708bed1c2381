from django.conf import settings
from django.db import models


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        """Rows the relay still has to publish: not published, and not failed (those wait for a person)."""
        return self.filter(published_at__isnull=True, failed_at__isnull=True)

    def failed(self):
        return self.filter(published_at__isnull=True, failed_at__isnull=False)


class OutboxMessage(models.Model):
    """A task recorded in the same transaction as the change that causes it.

    The relay publishes pending rows to the broker; a row stays pending while
    the broker is unreachable, so no task is lost to a Redis outage.
    """

    actor_name = models.CharField(max_length=200)
    queue_name = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Set by the relay when no code can run the row (its actor was renamed or removed): the row leaves the
    # pending ones and waits for staff, who retry it (admin) once the actor exists again.
    failed_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker when the published message has run (or was given up by the broker's rules):
    # a row published but never done, whose message the broker no longer holds, was lost and is
    # published again (outbox_sweep_lost).
    done_at = models.DateTimeField(null=True, blank=True)
    # Where the broker keeps the message now (Redis gives each enqueue, retries included, its own id).
    broker_queue = models.CharField(max_length=100, blank=True)
    broker_message_id = models.CharField(max_length=64, blank=True)
    republished = models.PositiveIntegerField(default=0)
    # The request (or task chain) that caused the task: published with the message, bound to its log lines.
    request_id = models.CharField(max_length=64, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        indexes = [
            # Pending and failed rows (failed ones are few: they wait for a person).
            models.Index(
                fields=["id"],
                name="outbox_pending_idx",
                condition=models.Q(published_at__isnull=True),
            ),
            models.Index(
                fields=["published_at"],
                name="outbox_in_flight_idx",
                condition=models.Q(published_at__isnull=False, done_at__isnull=True),
            ),
            models.Index(fields=["message_id"], name="outbox_message_id_idx"),
        ]

    def __str__(self):
        state = "published" if self.published_at else "failed" if self.failed_at else "pending"
        return f"{self.actor_name}{tuple(self.args)} ({state})"


class DeadLetter(models.Model):
    """A task message Dramatiq gave up on (retries exhausted, or too old to run), kept for a person.

    Dramatiq's own dead-letter set lives in Redis for a week; this row stays until staff retry the task
    (a new outbox row, so the retry is as durable as any task) or discard it.
    """

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting a decision"
        RETRIED = "retried", "Retried"
        DISCARDED = "discarded", "Discarded"

    class Reason(models.TextChoices):
        FAILED = "failed", "Retries exhausted"
        EXPIRED = "expired", "Too old to run (max_age)"

    message_id = models.CharField(max_length=64, unique=True)
    actor_name = models.CharField(max_length=200)
    queue_name = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    options = models.JSONField(default=dict)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    # The outbox row that published the message, when it came through the outbox (rows are pruned after a week).
    outbox_message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="dead_letters"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retried_as = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="retry_of"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="dead_letter_awaiting_idx", condition=models.Q(status="awaiting")),
        ]

    def __str__(self):
        return f"{self.actor_name}{tuple(self.args)} ({self.get_status_display()})"
