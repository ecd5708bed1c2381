from django.contrib import admin, messages

from .models import OutgoingEmail, OutgoingEmailAttachment
from .services import email_requeue


class OutgoingEmailAttachmentInline(admin.TabularInline):
    """Names, types and sizes only: the content is private and never rendered."""

    model = OutgoingEmailAttachment
    fields = ["filename", "mimetype", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["subject", "to"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    inlines = [OutgoingEmailAttachmentInline]
    actions = ["send_again"]

    @admin.action(description="Send again (failed emails only)", permissions=["change"])
    def send_again(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        queued = email_requeue(email_ids=selected)
        self.message_user(request, f"{queued} failed email(s) queued again.", messages.SUCCESS)
        if skipped := len(selected) - queued:
            self.message_user(
                request, f"{skipped} email(s) skipped: only failed emails are sent again.", messages.WARNING
            )
