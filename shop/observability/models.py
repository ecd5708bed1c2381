from django.db import models


class Heartbeat(models.Model):
    """The last time a long-running process showed it was doing its work (one row per process name).

    Kept in PostgreSQL, so monitoring sees a stopped process even while Redis is down."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
