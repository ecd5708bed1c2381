from django.db import models


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

    class Meta:
        indexes = [
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
        state = "published" if self.published_at else "pending"
        return f"{self.actor_name}{tuple(self.args)} ({state})"
