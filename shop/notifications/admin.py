from django.contrib import admin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["subject", "to"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
