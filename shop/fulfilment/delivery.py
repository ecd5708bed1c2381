"""When an order should arrive: its delivery method's lead time in working days, counted from the order date."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone


def working_days_after(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def delivery_window(order) -> tuple[date, date] | None:
    """(earliest, latest) arrival for the order's delivery method, or None when its lead time is unknown."""
    days = settings.SHOP_DELIVERY_WORKING_DAYS.get(order.shipping_code)
    if days is None:
        return None
    placed = timezone.localtime(order.date_placed).date()
    fastest, slowest = days
    return working_days_after(placed, fastest), working_days_after(placed, slowest)
