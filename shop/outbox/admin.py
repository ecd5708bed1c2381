from django.contrib import admin, messages
from django.db.models import Q
from django.utils.text import Truncator

from .dead_letters import Decisions, dead_letters_discard, dead_letters_retry
from .models import DeadLetter, OutboxMessage
from .services import outbox_retry_failed


class OutboxStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"
    STATES = {
        "pending": Q(published_at__isnull=True, failed_at__isnull=True),
        "failed": Q(published_at__isnull=True, failed_at__isnull=False),
        "in_flight": Q(published_at__isnull=False, done_at__isnull=True),
        "done": Q(done_at__isnull=False),
    }

    def lookups(self, request, model_admin):
        return [
            ("pending", "Pending"),
            ("failed", "Failed (no actor)"),
            ("in_flight", "Published, not run yet"),
            ("done", "Done"),
        ]

    def queryset(self, request, queryset):
        state = self.STATES.get(self.value())
        return queryset.filter(state) if state is not None else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "actor_name", "queue_name", "created_at", "published_at", "failed_at", "attempts"]
    list_filter = [OutboxStateFilter, "queue_name"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry_failed"]

    @admin.action(description="Retry failed rows (once their actor exists again)", permissions=["change"])
    def retry_failed(self, request, queryset):
        queued, missing = outbox_retry_failed(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{len(queued)} failed row(s) queued again.", messages.SUCCESS)
        if missing:
            self.message_user(
                request, f"Still no actor for row(s) {', '.join(map(str, missing))}: left failed.", messages.WARNING
            )


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    """Tasks Dramatiq gave up on, with their error: retry them (through the outbox) or discard them."""

    list_display = ["id", "created_at", "actor_name", "queue_name", "reason", "status", "error_summary"]
    list_filter = ["status", "reason", "queue_name", "actor_name"]
    search_fields = ["actor_name", "message_id", "error"]
    readonly_fields = [f.name for f in DeadLetter._meta.fields]
    actions = ["retry", "discard"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # discard instead: the row stays as the record of what happened

    @admin.display(description="error")
    def error_summary(self, obj):
        return Truncator(obj.error).chars(120)

    @admin.action(description="Retry (run the task again through the outbox)", permissions=["change"])
    def retry(self, request, queryset):
        decisions = dead_letters_retry(ids=queryset.values_list("pk", flat=True), user=request.user)
        self._report(request, decisions, "queued again")

    @admin.action(description="Discard (close without running)", permissions=["change"])
    def discard(self, request, queryset):
        decisions = dead_letters_discard(ids=queryset.values_list("pk", flat=True), user=request.user)
        self._report(request, decisions, "discarded")

    def _report(self, request, decisions: Decisions, verb: str) -> None:
        self.message_user(request, f"{len(decisions.done)} dead letter(s) {verb}.", messages.SUCCESS)
        for pk, why in decisions.skipped.items():
            self.message_user(request, f"Dead letter {pk} skipped: {why}.", messages.WARNING)
