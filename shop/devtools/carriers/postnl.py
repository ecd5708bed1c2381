"""PostNL's Shipping Status API v2 as the simulator speaks it: the documents of PostNL's published examples."""

import hashlib
import hmac
import json
import re
from datetime import datetime

from shop.devtools.loopback import Reply, json_reply
from shop.fulfilment.carriers.base import CarrierEvent
from shop.fulfilment.carriers.postnl import DUTCH_TIME, PUSH_SIGNATURE_HEADER

from .scripts import POSTNL_STEPS
from .state import Parcel, SimulatedEvent, utc_now

API_KEY_HEADER = "apikey"
STATUS_PATH = re.compile(r"^/shipment/v2/status/barcode/(?P<number>[^/]+)/?$")
CUSTOMER = {"CustomerCode": "DEVC", "CustomerNumber": "11223344", "Name": "Simulated webshop"}


def carrier_event(tracking_number: str, event: SimulatedEvent) -> CarrierEvent:
    """The event as the PostNL adapter reads it back (language=EN)."""
    step = POSTNL_STEPS[event.milestone]
    return CarrierEvent(
        tracking_number,
        event.milestone,
        event.occurred_at.astimezone(DUTCH_TIME),
        step.status_code,
        step.status_en,
        step.location_code,
    )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(DUTCH_TIME).strftime("%d-%m-%Y %H:%M:%S")


def _status(event: SimulatedEvent, english: bool) -> dict:
    step = POSTNL_STEPS[event.milestone]
    return {
        "TimeStamp": _stamp(event.occurred_at),
        "StatusCode": step.status_code,
        "StatusDescription": step.status_en if english else step.status_nl,
        "PhaseCode": step.phase_code,
        "PhaseDescription": step.phase_en if english else step.phase_nl,
    }


def _scan(event: SimulatedEvent, english: bool) -> dict:
    step = POSTNL_STEPS[event.milestone]
    return {
        "Code": step.event_code,
        "Description": step.event_en if english else step.event_nl,
        "DestinationLocationCode": {},
        "LocationCode": step.location_code,
        "RouteCode": {},
        "RouteName": {},
        "TimeStamp": _stamp(event.occurred_at),
    }


def status_reply(parcel: Parcel, query: dict[str, str]) -> Reply:
    english = query.get("language", "NL").upper() == "EN"
    newest_first = _newest_first(parcel)
    shipment = {
        "MainBarcode": parcel.tracking_number,
        "Barcode": parcel.tracking_number,
        "ShipmentAmount": "1",
        "ShipmentCounter": "1",
        "Customer": CUSTOMER,
        "ProductCode": "003085",
        "ProductDescription": "Standaard zending" if not english else "Standard shipment",
        "Reference": {},
        "Status": _status(newest_first[0], english),
    }
    if query.get("detail", "false").lower() == "true":
        shipment["Event"] = [_scan(event, english) for event in newest_first]
        shipment["OldStatus"] = [_status(event, english) for event in newest_first]
        return json_reply(200, {"CompleteStatus": {"Shipment": shipment}})
    return json_reply(200, {"CurrentStatus": {"Shipment": shipment}})


def not_found_reply() -> Reply:
    return json_reply(200, {"CompleteStatus": {}, "Warnings": [{"Message": "No shipment found", "Code": "2"}]})


def error_reply(status: int, *, missing_key: bool = False) -> Reply:
    if status == 401:
        message = "Failed to resolve API Key variable 'request.header.apikey'" if missing_key else "Invalid ApiKey"
        return json_reply(401, {"message": message, "http_status_code": 401})
    if status == 405:
        return json_reply(405, {"message": "Only GET requests allowed", "http_status_code": 405})
    if status == 429:
        return json_reply(429, {"message": "Too many requests. Rate limit exceeded!", "http_status_code": 429})
    if status == 404:
        return json_reply(404, {"fault": {"faultstring": "Resource not found", "detail": {"errorcode": "404"}}})
    return json_reply(status, {"fault": {"faultstring": "Internal server error", "detail": {"errorcode": str(status)}}})


def push_request(parcel: Parcel, secret: str) -> tuple[bytes, dict[str, str]]:
    """The parcel's current state in the shop's PostNL push shape, signed with `secret`."""
    current = parcel.events[-1]
    step = POSTNL_STEPS[current.milestone]
    update = {
        "Barcode": parcel.tracking_number,
        "CreationDate": parcel.first_seen.astimezone(DUTCH_TIME).strftime("%Y-%m-%dT%H:%M:%S"),
        "CustomerNumber": CUSTOMER["CustomerNumber"],
        "CustomerCode": CUSTOMER["CustomerCode"],
        "Status": {
            "Timestamp": current.occurred_at.astimezone(DUTCH_TIME).strftime("%Y-%m-%dT%H:%M:%S"),
            "StatusCode": step.status_code,
            "StatusDescription": step.status_en,
            "PhaseCode": step.phase_code,
            "PhaseDescription": step.phase_en,
        },
    }
    body = json.dumps({"SentAt": utc_now().isoformat(), "UpdatedShipments": [update]}).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {PUSH_SIGNATURE_HEADER: signature}


def _newest_first(parcel: Parcel) -> list[SimulatedEvent]:
    # reversed(), not reverse=True: a reverse sort keeps same-second events in their old order.
    return list(reversed(sorted(parcel.events, key=lambda event: event.occurred_at)))
