"""DHL's Shipment Tracking - Unified API as the simulator speaks it."""

import json
import re

from shop.devtools.loopback import Reply, json_reply
from shop.fulfilment.carriers.base import CarrierEvent
from shop.fulfilment.carriers.dhl import NAIVE_TIME_ZONE, PUSH_TOKEN_HEADER

from .scripts import DHL_STEPS
from .state import Parcel, SimulatedEvent

API_KEY_HEADER = "DHL-API-Key"
TRACK_PATH = re.compile(r"^/track/shipments/?$")
PROBLEM_JSON = "application/problem+json"
PROBLEMS = {
    401: ("Unauthorized", "Unauthorized for given resource."),
    404: ("No result found", "No shipment with given tracking number found."),
    405: ("Method Not Allowed", "Only GET is supported."),
    429: ("Too many requests", "Too many requests within defined time period."),
}


def carrier_event(tracking_number: str, event: SimulatedEvent) -> CarrierEvent:
    """The event as the DHL adapter reads it back."""
    step = DHL_STEPS[event.milestone]
    location = f"{step.locality}, {step.country_code}"
    # In the zone of the timestamp DHL sends, so the fingerprint matches the adapter's.
    occurred_at = event.occurred_at.astimezone(NAIVE_TIME_ZONE)
    return CarrierEvent(tracking_number, event.milestone, occurred_at, step.status_code, step.description, location)


def _event(event: SimulatedEvent) -> dict:
    step = DHL_STEPS[event.milestone]
    return {
        # With an offset, in Dutch local time, as DHL's European parcel services report it.
        "timestamp": event.occurred_at.astimezone(NAIVE_TIME_ZONE).isoformat(),
        "location": {
            "address": {
                "countryCode": step.country_code,
                "postalCode": step.postal_code,
                "addressLocality": step.locality,
            }
        },
        "statusCode": step.status_code,
        "status": step.status,
        "description": step.description,
    }


def shipment(parcel: Parcel) -> dict:
    newest_first = _newest_first(parcel)
    return {
        "id": parcel.tracking_number,
        "service": "parcel-nl",
        "origin": {"address": {"countryCode": "NL", "postalCode": "1043 AG", "addressLocality": "Amsterdam"}},
        "destination": {"address": {"countryCode": "NL", "postalCode": "3511 AX", "addressLocality": "Utrecht"}},
        "status": _event(newest_first[0]),
        "details": {"product": {"productName": "DHL Parcel Connect"}, "totalNumberOfPieces": 1},
        "events": [_event(event) for event in newest_first],
    }


def status_reply(parcel: Parcel, query: dict[str, str]) -> Reply:
    return json_reply(200, {"shipments": [shipment(parcel)]})


def not_found_reply() -> Reply:
    return error_reply(404)


def error_reply(status: int, *, missing_key: bool = False) -> Reply:
    title, detail = PROBLEMS.get(status, ("Internal Server Error", "The server encountered an unexpected condition."))
    return json_reply(status, {"title": title, "status": status, "detail": detail}, PROBLEM_JSON)


def push_request(parcel: Parcel, secret: str) -> tuple[bytes, dict[str, str]]:
    """What DHL's push sends: the tracking answer, with the subscription's token header."""
    return json.dumps({"shipments": [shipment(parcel)]}).encode(), {PUSH_TOKEN_HEADER: secret}


def _newest_first(parcel: Parcel) -> list[SimulatedEvent]:
    # reversed(), not reverse=True: a reverse sort keeps same-second events in their old order.
    return list(reversed(sorted(parcel.events, key=lambda event: event.occurred_at)))
