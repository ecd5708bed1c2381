from django.utils import timezone

from .models import Heartbeat

SCHEDULER = "scheduler"


def heartbeat_record(*, name: str, now=None) -> None:
    """Note that the process `name` is alive and working now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})
