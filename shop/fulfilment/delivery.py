"""When an order should arrive: its delivery method's lead time in working days, counted from its payment."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from shop.orders import statuses


def working_days_after(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def delivery_window(order) -> tuple[date, date] | None:
    """(earliest, latest) arrival for the order's delivery method, counted from the day it was paid (or its
    pay-later payment authorized): None while it waits for payment, or when the method's lead time is unknown."""
    days = settings.SHOP_DELIVERY_WORKING_DAYS.get(order.shipping_code)
    settled = (
        order.status_changes.filter(new_status__in=(statuses.PAID, statuses.AUTHORIZED))
        .order_by("date_created")
        .values_list("date_created", flat=True)
        .first()
    )
    if days is None or settled is None:
        return None
    start = timezone.localtime(settled).date()
    fastest, slowest = days
    return working_days_after(start, fastest), working_days_after(start, slowest)
