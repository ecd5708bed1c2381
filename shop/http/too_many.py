"""The one answer to a client past a throttle: the shop's 429 page, saying what to wait for."""

from django.shortcuts import render


def too_many_requests(request, *, message: str, retry_after_seconds: int):
    """templates/429.html (allauth's limits use it too) with `message`, and Retry-After for clients that read it."""
    response = render(request, "429.html", {"throttle_message": message}, status=429)
    response["Retry-After"] = str(retry_after_seconds)
    return response
