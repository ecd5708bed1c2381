"""PostNL: the Shipping Status API v2 (poll) and a signed push.

What PostNL publishes, and where it was read:

- ``GET {api}/shipment/v2/status/barcode/{barcode}?detail=true&language=EN``, header ``apikey``
  (api = https://api.postnl.nl, sandbox https://api-sandbox.postnl.nl). Sources: OpenAPI spec
  ``spec/ShippingStatus/ShippingStatus.json`` in github.com/maarten-brijker-postnl/apimatic-testbuild-v1
  (a PostNL engineer's APIMatic build of developer.postnl.nl), and ``doc/controllers/shipping-status.md``,
  ``doc/models/{status,old-status,event,complete-status-shipment,warning-2,unauthorized-exception}.md``
  in github.com/postnl/postnl-ecommerce-sdk-python.
- ``detail=true`` answers ``{"CompleteStatus": {"Shipment": ...}}``; without it ``{"CurrentStatus": ...}``.
  ``Shipment`` is an object, or a list for multi-collo shipments. A shipment has ``Barcode``, ``Status``
  (the current one), ``OldStatus`` (the history, newest first, current included) and ``Event`` (scan
  events, newest first; an object when there is one). Statuses have ``TimeStamp``, ``StatusCode``,
  ``StatusDescription``, ``PhaseCode``, ``PhaseDescription``; events have ``Code``, ``Description``,
  ``LocationCode``, ``DestinationLocationCode``, ``RouteCode``, ``RouteName``, ``TimeStamp``.
  Empty fields come as ``{}`` (the API is XML underneath).
- ``TimeStamp`` is ``dd-MM-yyyy HH:mm:ss`` (sometimes with ``.fff``) in Dutch local time, no offset.
- An unknown barcode is **not** a 404: 200 with ``{"CompleteStatus": {}, "Warnings": [{"Message":
  "No shipment found", "Code": "2"}]}``. 401 ``{"message": "Failed to resolve API Key variable
  'request.header.apikey'", "http_status_code": 401}``; 429 ``{"message": "Too many requests. Rate limit
  exceeded!", ...}``; 400/500 ``{"fault": {"faultstring", "detail": {"errorcode"}}}``.
- Status and phase codes: the "T & T Status Codes" page (developer.postnl.nl/docs/#/http/reference-data/
  t-t-status-codes), read as ``content/reference data/TTStatusCodes.md`` in the same APIMatic build; codes
  27, 28 and 31 from the event-code table of the Android app dev.itsvic.parceltracker
  (PostNLDeliveryService.kt). Phases:
  1 collection, 2 sorting, 3 distribution, 4 delivered, 99 not applicable (a scan that changes nothing).
- We read OldStatus rather than Event because each status code has a documented meaning (~25 codes),
  while the event codes number in the hundreds; an event with the status's timestamp gives its location.

Push: PostNL only mentions a *pilot* webhook, arranged by e-mail with developer@postnl.nl, with no
published payload or authentication (``content/endpoints/ShippingStatusOverview.md``, same build). So the
shop defines it: POST a JSON body ``{"SentAt": ISO-8601 with offset, "UpdatedShipments": [...]}`` whose
items have the published shape of ``GET /shipment/v2/status/{customernumber}/updatedshipments``
(``Barcode``, ``CreationDate``, ``CustomerNumber``, ``CustomerCode``, ``Status`` with ``Timestamp`` as
``yyyy-MM-ddTHH:mm:ss`` local time), signed with ``X-PostNL-Signature: hex(HMAC-SHA256(push_secret,
raw body))``. A push sent more than PUSH_TOLERANCE away from now is refused as stale (or replayed).
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from .base import Carrier, CarrierEvent, CarrierUnavailable, Milestone, PushRejected, TrackingNotFound
from .http import carrier_get, json_of
from .push_auth import json_object, require_hmac_signature

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
STATUS_PATH = "/shipment/v2/status/barcode/{barcode}"
TRACK_AND_TRACE_URL = "https://jouw.postnl.nl/track-and-trace/{parcel}"
PUSH_SIGNATURE_HEADER = "X-PostNL-Signature"
PUSH_TOLERANCE = timedelta(minutes=5)
NOT_APPLICABLE = "99"

# StatusCode -> Milestone. PostNL phase in brackets.
STATUS_MILESTONES: dict[str, Milestone] = {
    "1": Milestone.ANNOUNCED,  # [1 collection] Zending voorgemeld / Shipment pre-alerted
    "2": Milestone.IN_TRANSIT,  # [1] Zending in ontvangst genomen / Shipment accepted
    "3": Milestone.IN_TRANSIT,  # [1] Zending afgehaald / Shipment collected
    "4": Milestone.EXCEPTION,  # [1] Zending niet afgehaald / Shipment not collected
    "13": Milestone.ANNOUNCED,  # [1] Voorgemeld: nog niet aangenomen / Pre-alerted shipment
    "14": Milestone.EXCEPTION,  # [1] Voorgemeld: definitief niet aangenomen
    "15": Milestone.EXCEPTION,  # [1] Manco collectie / Missing collection
    "18": Milestone.EXCEPTION,  # [1] Definitief manco / Definitely missing
    "19": Milestone.EXCEPTION,  # [1] Zending afgekeurd / Shipment rejected
    "5": Milestone.IN_TRANSIT,  # [2 sorting] Zending gesorteerd / Shipment sorted
    "6": Milestone.EXCEPTION,  # [2] Zending niet gesorteerd / Shipment not sorted
    "16": Milestone.EXCEPTION,  # [2] Manco sortering / Missing in sorting
    "21": Milestone.EXCEPTION,  # [2] Zending in voorraad / Shipment in storage (held)
    "31": Milestone.IN_TRANSIT,  # [2] Zending klaar voor transport naar land van bestemming
    "7": Milestone.OUT_FOR_DELIVERY,  # [3 distribution] Zending in distributieproces / Shipment out for delivery
    "8": Milestone.EXCEPTION,  # [3] Zending niet afgeleverd / Shipment not delivered
    "9": Milestone.IN_TRANSIT,  # [3] Zending bij douane / Shipment at customs
    "17": Milestone.EXCEPTION,  # [3] Manco distributie / Missing in distribution
    "20": Milestone.IN_TRANSIT,  # [3] Zending in inklaringsproces / Shipment in clearance process
    "27": Milestone.EXCEPTION,  # Retour onbestelbaar / returned, undeliverable
    "28": Milestone.EXCEPTION,  # Retour foutieve aflevercode / returned, wrong delivery code
    "11": Milestone.DELIVERED,  # [4 delivered] Zending afgeleverd / Shipment delivered
    # PostNL counts "waiting at the pick-up point" as delivered (phase 4); the description tells the shopper.
    "12": Milestone.DELIVERED,  # [4] Zending beschikbaar op afhaallocatie / Shipment at pick-up location
    "22": Milestone.DELIVERED,  # [4] Zending afgehaald van Postkantoor / picked up from post office
    "23": Milestone.DELIVERED,  # [4] Afhaalopdracht gecollecteerd / Parcel collected
}
# A status code PostNL adds later still has a phase: better a coarse milestone than a lost event.
PHASE_MILESTONES: dict[str, Milestone] = {
    "1": Milestone.ANNOUNCED,
    "2": Milestone.IN_TRANSIT,
    "3": Milestone.IN_TRANSIT,
    "4": Milestone.DELIVERED,
}


class PostNL(Carrier):
    code = "postnl"
    name = "PostNL"
    language = "EN"  # descriptions are shown to shoppers; PostNL's default would be Dutch

    def tracking_url(self, tracking_number: str, *, postcode: str = "", country: str = "") -> str:
        barcode = tracking_number.strip().upper()
        postcode = postcode.replace(" ", "").upper()
        # The public page wants barcode-country-postcode; without a postcode it still finds the parcel.
        parcel = f"{barcode}-{(country or 'NL').upper()}-{postcode}" if postcode else barcode
        return TRACK_AND_TRACE_URL.format(parcel=quote(parcel, safe=""))

    def events(self, tracking_number: str, *, postcode: str = "", country: str = "") -> list[CarrierEvent]:
        response = carrier_get(
            self.config,
            STATUS_PATH.format(barcode=quote(tracking_number, safe="")),
            carrier=self.name,
            headers={"apikey": self.config.api_key, "Accept": "application/json"},
            params={"detail": "true", "language": self.language},
        )
        if response.status_code in (400, 404):
            # 400 is PostNL's answer to a barcode it cannot parse: no retry will ever find it.
            raise TrackingNotFound(f"PostNL does not know {tracking_number} (HTTP {response.status_code})")
        if response.status_code != 200:
            raise CarrierUnavailable(f"PostNL answered HTTP {response.status_code}")
        return events_from_status_response(json_of(response, carrier=self.name), tracking_number)

    def push_events(self, *, body: bytes, headers: Mapping[str, str]) -> list[CarrierEvent]:
        require_hmac_signature(
            secret=self.config.push_secret, body=body, headers=headers, header_name=PUSH_SIGNATURE_HEADER
        )
        return events_from_push(json_object(body))


def events_from_status_response(document, tracking_number: str) -> list[CarrierEvent]:
    """The parcel's events, oldest first, from a Shipping Status v2 answer."""
    if not isinstance(document, dict):
        raise CarrierUnavailable("PostNL answered with something other than a JSON object")
    shipment = _shipment(document, tracking_number)
    if shipment is None:
        warnings = "; ".join(_text(w.get("Message")) for w in _as_list(document.get("Warnings")) if isinstance(w, dict))
        raise TrackingNotFound(f"PostNL does not know {tracking_number}" + (f": {warnings}" if warnings else ""))
    barcode = _text(shipment.get("Barcode")) or tracking_number
    locations = {_text(scan.get("TimeStamp")): _text(scan.get("LocationCode")) for scan in _scans(shipment)}
    # PostNL lists newest first and OldStatus repeats the current Status: walk oldest first, one of each.
    history = [shipment.get("Status"), *_as_list(shipment.get("OldStatus"))][::-1]
    events: dict[tuple[str, str], CarrierEvent] = {}
    for status in history:
        event = _status_event(barcode, status, locations)
        if event is not None:
            events.setdefault((event.code, _text(status.get("TimeStamp"))), event)
    return _in_time_order(list(events.values()))


def events_from_push(document: dict) -> list[CarrierEvent]:
    """The events in a (verified) push body; refuses stale and malformed bodies."""
    try:
        sent_at = datetime.fromisoformat(document["SentAt"])
        updates = document["UpdatedShipments"]
    except (KeyError, TypeError, ValueError) as exc:
        raise PushRejected(f"push needs SentAt (ISO-8601) and UpdatedShipments: {exc!r}") from exc
    if sent_at.tzinfo is None:
        raise PushRejected("SentAt has no UTC offset")
    if abs(datetime.now(UTC) - sent_at) > PUSH_TOLERANCE:
        raise PushRejected(f"stale push: sent at {sent_at.isoformat()}")
    if not isinstance(updates, list) or not updates:
        raise PushRejected("UpdatedShipments is not a non-empty list")
    events = []
    for update in updates:
        if (
            not isinstance(update, dict)
            or not _text(update.get("Barcode"))
            or not isinstance(update.get("Status"), dict)
        ):
            raise PushRejected(f"an update lacks Barcode or Status: {update!r}")
        status = update["Status"]
        try:
            occurred_at = _aware(datetime.fromisoformat(_text(status.get("Timestamp"))))
        except ValueError as exc:
            raise PushRejected(f"unreadable Status.Timestamp: {status.get('Timestamp')!r}") from exc
        code = _text(status.get("StatusCode"))
        milestone = _milestone(code, _text(status.get("PhaseCode")))
        if milestone is not None:
            description = _text(status.get("StatusDescription"))
            events.append(CarrierEvent(_text(update["Barcode"]), milestone, occurred_at, code, description))
    return sorted(events, key=lambda event: event.occurred_at.timestamp())


def parse_timestamp(value: str) -> datetime:
    """PostNL's "dd-MM-yyyy HH:mm:ss[.fff]", Dutch local time. In the autumn's repeated hour this reads
    the first of the two (fold=0); _in_time_order corrects it where the history's order says otherwise."""
    for pattern in ("%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S.%f"):
        try:
            return _aware(datetime.strptime(value, pattern))
        except ValueError:
            continue
    raise ValueError(f"not a PostNL timestamp: {value!r}")


def _in_time_order(oldest_first: list[CarrierEvent]) -> list[CarrierEvent]:
    """Sorted by instant. A local time that would run backwards in PostNL's own order is the second
    pass through the autumn's repeated hour (fold=1). Sort on timestamp(): datetimes sharing a tzinfo
    compare by wall time and ignore fold."""
    in_order: list[CarrierEvent] = []
    for event in oldest_first:
        if in_order and event.occurred_at.timestamp() < in_order[-1].occurred_at.timestamp():
            second_pass = event.occurred_at.replace(fold=1)
            if second_pass.timestamp() >= in_order[-1].occurred_at.timestamp():
                event = replace(event, occurred_at=second_pass)
        in_order.append(event)
    return sorted(in_order, key=lambda event: event.occurred_at.timestamp())


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=DUTCH_TIME) if moment.tzinfo is None else moment


def _shipment(document: dict, tracking_number: str) -> dict | None:
    status = document.get("CompleteStatus") or document.get("CurrentStatus") or {}
    shipments = [
        s for s in _as_list(status.get("Shipment") if isinstance(status, dict) else None) if isinstance(s, dict)
    ]
    wanted = tracking_number.strip().upper()
    for shipment in shipments:
        if _text(shipment.get("Barcode")).upper() == wanted:
            return shipment
    # A multi-collo answer lists every parcel; asked by main barcode, the first is the main one.
    return shipments[0] if shipments else None


def _scans(shipment: dict) -> list[dict]:
    return [scan for scan in _as_list(shipment.get("Event")) if isinstance(scan, dict)]


def _status_event(barcode: str, status, locations: dict[str, str]) -> CarrierEvent | None:
    if not isinstance(status, dict):
        return None
    code = _text(status.get("StatusCode"))
    milestone = _milestone(code, _text(status.get("PhaseCode")))
    if milestone is None:
        return None
    stamp = _text(status.get("TimeStamp"))
    try:
        occurred_at = parse_timestamp(stamp)
    except ValueError as exc:
        raise CarrierUnavailable(f"PostNL sent an unreadable TimeStamp {stamp!r}") from exc
    description = _text(status.get("StatusDescription"))
    return CarrierEvent(barcode, milestone, occurred_at, code, description, locations.get(stamp, ""))


def _milestone(status_code: str, phase_code: str) -> Milestone | None:
    if not status_code or status_code == NOT_APPLICABLE:
        return None
    return STATUS_MILESTONES.get(status_code) or PHASE_MILESTONES.get(phase_code)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    # PostNL sends {} for an empty field.
    return value.strip() if isinstance(value, str) else ""
