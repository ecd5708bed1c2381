"""DHL: Shipment Tracking - Unified (poll) and Shipment Tracking - Unified - Push.

What DHL publishes, and where it was read:

- ``GET {api}/track/shipments?trackingNumber=...``, header ``DHL-API-Key`` (api = https://api-eu.dhl.com).
  Sources: developer.dhl.com/api-reference/shipment-tracking (v1.5.8); the OpenAPI example answer as kept
  in github.com/karrioapi/karrio ``modules/connectors/dhl_universal/tests/dhl_universal/test_tracking.py``;
  the generated models ``docs/Model/SupermodelIoLogisticsTrackingShipment{,Event}.md`` in
  github.com/DornachDev-Laurent/dhl-uk-ecommerce-apis.
- 200 answers ``{"shipments": [{"id", "service", "origin", "destination", "status": <event>, "details",
  "events": [<event>, ...]}]}``, events newest first. An event is ``{"timestamp", "location": {"address":
  {"countryCode", "postalCode", "addressLocality"}}, "statusCode", "status", "description", "remark",
  "nextSteps"}``; ``statusCode`` is one of pre-transit, transit, delivered, failure, unknown.
  ``timestamp`` is ISO-8601, with an offset or ``Z`` on the current status but often without one on
  events: those we read as Dutch local time (the shop ships from the Netherlands), see NAIVE_TIME_ZONE.
- Errors are ``application/problem+json``: 404 ``{"title": "No result found", "status": 404, "detail":
  "No shipment with given tracking number found."}``; 401 for a missing or wrong key; 429 when the
  rate limit (per key and day, and per second) is hit.
- There is no "out for delivery" statusCode: a transit event whose status or description says so
  (OUT_FOR_DELIVERY_PHRASES) is one. "unknown" events say nothing about where the parcel is; we skip them.

Push: "Shipment Tracking - Unified - Push" (developer.dhl.com/api-reference/shipment-tracking-unified-push,
its Postman and Bruno collections, "Push API 101 for Externals" PDF). A subscription
(``POST /tracking/push/v1/subscription``) names ``hook.uri`` and, optionally, ``hook.authentication``
``{"type": "ApiKeyAuthentication", "header": <name>, "token": <value>}``: DHL then sends that header with
that token on every push. That is DHL's whole published authentication: a shared token, no signature.
We subscribe with header PUSH_TOKEN_HEADER and the token ``push_secret``, and compare it in constant time.
The pushed body (format "Default") is read as the tracking answer: ``{"shipments": [...]}``. DHL's push
carries no send time, so a push whose newest event is older than PUSH_MAX_EVENT_AGE is refused as a
replay (DHL retries a failed push after about 1 h and 6 h, well inside it); replays inside it are
harmless, since events are de-duplicated by fingerprint.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from .base import Carrier, CarrierEvent, CarrierUnavailable, Milestone, PushRejected, TrackingNotFound
from .http import carrier_get, json_of
from .push_auth import json_object, require_token

TRACK_PATH = "/track/shipments"
TRACKING_PAGE_URL = "https://www.dhl.com/nl-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={id}"
NAIVE_TIME_ZONE = ZoneInfo("Europe/Amsterdam")
PUSH_TOKEN_HEADER = "X-DHL-Push-Token"  # nosec B105  # the header's name; the token is DHL_PUSH_SECRET
PUSH_MAX_EVENT_AGE = timedelta(days=3)

# statusCode -> Milestone ("unknown" is left out on purpose: such events are skipped).
STATUS_MILESTONES: dict[str, Milestone] = {
    "pre-transit": Milestone.ANNOUNCED,  # DHL has the shipment data, not yet the parcel
    "transit": Milestone.IN_TRANSIT,  # or OUT_FOR_DELIVERY, see below
    "delivered": Milestone.DELIVERED,
    "failure": Milestone.EXCEPTION,  # delivery failed, returned, damaged, held
}
# Matched against status and description, lower-cased, "_" and "-" read as spaces.
OUT_FOR_DELIVERY_PHRASES = ("out for delivery", "with delivery courier", "delivery vehicle", "in zustellung")


class DHL(Carrier):
    code = "dhl"
    name = "DHL"

    def tracking_url(self, tracking_number: str, *, postcode: str = "", country: str = "") -> str:
        return TRACKING_PAGE_URL.format(id=quote(tracking_number.strip(), safe=""))

    def events(self, tracking_number: str, *, postcode: str = "", country: str = "") -> list[CarrierEvent]:
        response = carrier_get(
            self.config,
            TRACK_PATH,
            carrier=self.name,
            headers={"DHL-API-Key": self.config.api_key, "Accept": "application/json"},
            params={"trackingNumber": tracking_number},
        )
        if response.status_code in (400, 404):
            raise TrackingNotFound(f"DHL does not know {tracking_number}: {_problem_detail(response)}")
        if response.status_code != 200:
            raise CarrierUnavailable(f"DHL answered HTTP {response.status_code}")
        document = json_of(response, carrier=self.name)
        shipments = document.get("shipments") if isinstance(document, dict) else None
        if not isinstance(shipments, list):
            raise CarrierUnavailable("DHL answered without a shipments list")
        shipment = _matching_shipment(shipments, tracking_number)
        if shipment is None:
            raise TrackingNotFound(f"DHL does not know {tracking_number}")
        try:
            return shipment_events(shipment, tracking_number)
        except ValueError as exc:
            raise CarrierUnavailable(f"DHL sent an unreadable shipment: {exc}") from exc

    def push_events(self, *, body: bytes, headers: Mapping[str, str]) -> list[CarrierEvent]:
        require_token(secret=self.config.push_secret, headers=headers, header_name=PUSH_TOKEN_HEADER)
        shipments = json_object(body).get("shipments")
        if not isinstance(shipments, list) or not shipments:
            raise PushRejected("push has no shipments list")
        events = []
        for shipment in shipments:
            if not isinstance(shipment, dict) or not shipment.get("id"):
                raise PushRejected(f"a pushed shipment has no id: {shipment!r}")
            try:
                events.extend(shipment_events(shipment, str(shipment["id"])))
            except ValueError as exc:
                raise PushRejected(f"unreadable shipment {shipment['id']}: {exc}") from exc
        if not events:
            raise PushRejected("push carries no events")
        newest = max(event.occurred_at for event in events)
        if datetime.now(UTC) - newest > PUSH_MAX_EVENT_AGE:
            raise PushRejected(f"stale push: its newest event is from {newest.isoformat()}")
        return sorted(events, key=lambda event: event.occurred_at)


def shipment_events(shipment: dict, tracking_number: str) -> list[CarrierEvent]:
    """One shipment's events, oldest first. Raises ValueError for a shape we cannot read."""
    raw_events = shipment.get("events") or []
    if not isinstance(raw_events, list):
        raise ValueError("events is not a list")
    if not raw_events and isinstance(shipment.get("status"), dict):
        raw_events = [shipment["status"]]  # some services send only the current status
    tracking_number = str(shipment.get("id") or tracking_number)
    # DHL lists newest first: reversed, a stable sort keeps DHL's order for events in the same second.
    events = [event for raw in reversed(raw_events) if (event := _event(raw, tracking_number)) is not None]
    return sorted(events, key=lambda event: event.occurred_at)


def parse_timestamp(value: str) -> datetime:
    moment = datetime.fromisoformat(value)  # 3.11 reads "Z" and offsets
    return moment.replace(tzinfo=NAIVE_TIME_ZONE) if moment.tzinfo is None else moment


def _event(raw, tracking_number: str) -> CarrierEvent | None:
    if not isinstance(raw, dict):
        raise ValueError(f"an event is not an object: {raw!r}")
    code = str(raw.get("statusCode") or "")
    milestone = STATUS_MILESTONES.get(code)
    if milestone is None:
        return None
    status, description = str(raw.get("status") or ""), str(raw.get("description") or "")
    if milestone is Milestone.IN_TRANSIT and _says_out_for_delivery(status, description):
        milestone = Milestone.OUT_FOR_DELIVERY
    occurred_at = parse_timestamp(str(raw.get("timestamp") or ""))
    return CarrierEvent(tracking_number, milestone, occurred_at, code, description or status, _location(raw))


def _says_out_for_delivery(*texts: str) -> bool:
    words = " ".join(texts).lower().replace("_", " ").replace("-", " ")
    return any(phrase in words for phrase in OUT_FOR_DELIVERY_PHRASES)


def _location(raw: dict) -> str:
    location = raw.get("location")
    address = location.get("address") if isinstance(location, dict) else None
    if not isinstance(address, dict):
        return ""
    parts = (address.get("addressLocality"), address.get("countryCode"))
    return ", ".join(str(part) for part in parts if part)


def _matching_shipment(shipments: list, tracking_number: str) -> dict | None:
    candidates = [shipment for shipment in shipments if isinstance(shipment, dict)]
    for shipment in candidates:
        if str(shipment.get("id", "")).strip().upper() == tracking_number.strip().upper():
            return shipment
    return candidates[0] if candidates else None


def _problem_detail(response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(problem, dict):
        return str(problem.get("detail") or problem.get("title") or f"HTTP {response.status_code}")
    return f"HTTP {response.status_code}"
