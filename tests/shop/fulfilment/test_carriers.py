"""The real adapters against the carrier simulator: a real HTTP server on loopback speaking each carrier's API."""

import hashlib
import hmac
import json
import logging
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from shop.devtools.carriers import CarrierSimulator
from shop.devtools.loopback import LoopbackServer, Reply
from shop.fulfilment.carriers.base import (
    CarrierConfig,
    CarrierUnavailable,
    Milestone,
    PushRejected,
    TrackingNotFound,
)
from shop.fulfilment.carriers.dhl import DHL
from shop.fulfilment.carriers.http import CarrierAuthenticationFailed
from shop.fulfilment.carriers.postnl import DUTCH_TIME, PostNL

API_KEYS = {"postnl": "postnl-test-key", "dhl": "dhl-test-key"}
PUSH_SECRETS = {"postnl": "postnl-push-secret", "dhl": "dhl-push-token"}
ADAPTERS = {"postnl": PostNL, "dhl": DHL}
NUMBERS = {"postnl": "3SDEVC201611210", "dhl": "00340434292135100124"}
LOG = logging.getLogger(__name__)
JOURNEY = [Milestone.ANNOUNCED, Milestone.IN_TRANSIT, Milestone.OUT_FOR_DELIVERY, Milestone.DELIVERED]


class PushReceiver:
    """Plays the shop's push endpoint: /<carrier>/ hands the raw body and headers to the real adapter."""

    def __init__(self):
        self.accepted: list = []
        self.rejected: list[str] = []
        self.server = LoopbackServer(("127.0.0.1", 0), self._respond, name="PushReceiver", logger=LOG)
        self.server.serve_in_background()
        self.url = self.server.url

    def _respond(self, method, target, headers, body) -> Reply:
        carrier = target.strip("/")
        adapter = ADAPTERS[carrier](CarrierConfig("http://unused", "", PUSH_SECRETS[carrier]))
        try:
            self.accepted.extend(adapter.push_events(body=body, headers=dict(headers)))
        except PushRejected as rejection:
            self.rejected.append(str(rejection))
            return Reply(403)
        return Reply(200)

    def stop(self):
        self.server.close()


@pytest.fixture
def receiver():
    server = PushReceiver()
    yield server
    server.stop()


def start_simulator(receiver, **options) -> CarrierSimulator:
    options.setdefault("push_secrets", PUSH_SECRETS)
    simulator = CarrierSimulator(
        api_keys=API_KEYS, push_urls={code: f"{receiver.url}/{code}/" for code in ADAPTERS}, **options
    )
    simulator.start()
    return simulator


@pytest.fixture
def sim(receiver):
    simulator = start_simulator(receiver)
    yield simulator
    simulator.stop()


def adapter(sim, carrier, *, api_key=None, timeout=5.0):
    key = API_KEYS[carrier] if api_key is None else api_key
    return ADAPTERS[carrier](CarrierConfig(f"{sim.url}/{carrier}", key, PUSH_SECRETS[carrier], timeout))


def recent(hours_ago: float) -> datetime:
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).replace(microsecond=0)


# Polling


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_poll_reads_every_event_oldest_first_with_milestones_and_times(sim, carrier):
    number = NUMBERS[carrier]
    # Added out of order: the carrier's answer, not the insertion, decides the order.
    moments = {Milestone.DELIVERED: recent(1), Milestone.ANNOUNCED: recent(30), Milestone.OUT_FOR_DELIVERY: recent(5)}
    moments[Milestone.IN_TRANSIT] = datetime(2024, 7, 1, 10, 0, 7, tzinfo=UTC) if carrier == "dhl" else recent(20)
    if carrier == "dhl":
        moments[Milestone.ANNOUNCED] = datetime(2024, 7, 1, 8, 0, tzinfo=UTC)
    added = {m: sim.add_event(carrier, number, m, occurred_at=moments[m]) for m in moments}

    events = adapter(sim, carrier).events(number)

    assert [e.milestone for e in events] == JOURNEY
    assert events == sorted(added.values(), key=lambda e: e.occurred_at)
    assert [e.fingerprint for e in events] == [e.fingerprint for e in sim.events(carrier, number)]
    assert [e.occurred_at for e in events] == sorted(moments.values())
    assert all(e.occurred_at.utcoffset() is not None for e in events)
    assert all(e.tracking_number == number for e in events)


def test_postnl_poll_speaks_postnls_api(sim):
    sim.add_event("postnl", "3SABC123", Milestone.IN_TRANSIT, occurred_at=datetime(2024, 7, 1, 10, 0, tzinfo=UTC))

    [event] = adapter(sim, "postnl").events("3SABC123")

    assert event.occurred_at.tzinfo is DUTCH_TIME and event.occurred_at.hour == 12  # CEST
    assert (event.code, event.description, event.location) == ("5", "Shipment sorted", "171967")
    [request] = sim.requests
    assert request["path"] == "/shipment/v2/status/barcode/3SABC123"
    assert request["query"] == {"detail": "true", "language": "EN"}
    assert request["headers"]["apikey"] == API_KEYS["postnl"]


def test_dhl_poll_speaks_dhls_api(sim):
    sim.add_event("dhl", "JVGL0123", Milestone.OUT_FOR_DELIVERY, occurred_at=datetime(2024, 7, 1, 10, 0, tzinfo=UTC))

    [event] = adapter(sim, "dhl").events("JVGL0123")

    assert event.occurred_at == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)
    assert (event.code, event.milestone, event.location) == ("transit", Milestone.OUT_FOR_DELIVERY, "Utrecht, NL")
    [request] = sim.requests
    assert (request["path"], request["query"]) == ("/track/shipments", {"trackingNumber": "JVGL0123"})
    assert request["headers"]["DHL-API-Key"] == API_KEYS["dhl"]


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_unknown_number_is_tracking_not_found(sim, carrier):
    sim.add_event(carrier, "KNOWN1", Milestone.ANNOUNCED)
    with pytest.raises(TrackingNotFound):
        adapter(sim, carrier).events("NEVERSEEN1")


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
@pytest.mark.parametrize("api_key", ["wrong-key", ""])
def test_wrong_or_missing_api_key_is_authentication_failed(sim, carrier, api_key):
    sim.add_event(carrier, "KNOWN1", Milestone.ANNOUNCED)
    with pytest.raises(CarrierAuthenticationFailed, match="API key"):
        adapter(sim, carrier, api_key=api_key).events("KNOWN1")
    # A CarrierUnavailable: polling retries later instead of giving the parcel up.
    assert issubclass(CarrierAuthenticationFailed, CarrierUnavailable)


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limit_and_server_errors_are_unavailable_once(sim, carrier, status):
    sim.add_event(carrier, "KNOWN1", Milestone.ANNOUNCED)
    sim.fail_next(carrier, status)

    with pytest.raises(CarrierUnavailable) as caught:
        adapter(sim, carrier).events("KNOWN1")

    assert not isinstance(caught.value, CarrierAuthenticationFailed)
    assert ("rate-limited" if status == 429 else f"failed (HTTP {status})") in str(caught.value)
    assert [e.milestone for e in adapter(sim, carrier).events("KNOWN1")] == [Milestone.ANNOUNCED]


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_closed_port_is_unavailable(receiver, carrier):
    simulator = start_simulator(receiver)
    closed = adapter(simulator, carrier)
    simulator.stop()
    with pytest.raises(CarrierUnavailable, match="could not be reached"):
        closed.events("KNOWN1")


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_silent_carrier_times_out_as_unavailable(carrier):
    # Accepts the connection (kernel backlog) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        carrier_adapter = ADAPTERS[carrier](CarrierConfig(f"http://127.0.0.1:{port}/{carrier}", "key", "", 0.2))
        started = time.monotonic()
        with pytest.raises(CarrierUnavailable, match="did not answer"):
            carrier_adapter.events("KNOWN1")
        assert time.monotonic() - started < 2


def test_auto_advance_walks_a_parcel_the_shop_asks_about(receiver):
    simulator = start_simulator(receiver, auto_advance_seconds=0.3)
    # The simulator's clock is moved by hand: a tenth of a second past a whole one, so that its steps 0.3 s
    # apart share a timestamp (carriers send seconds), and the carrier's order must survive that.
    with time_machine.travel(datetime(2026, 11, 2, 10, 0, 0, 100_000, tzinfo=UTC), tick=False) as clock:
        try:
            carriers = {adapter(simulator, "postnl"): "3SNEW1", adapter(simulator, "dhl"): "JVNEW1"}
            for carrier, number in carriers.items():
                assert [e.milestone for e in carrier.events(number)] == [Milestone.ANNOUNCED]
            clock.shift(0.65)
            for carrier, number in carriers.items():
                assert [e.milestone for e in carrier.events(number)] == JOURNEY[:3]
            clock.shift(0.6)
            for carrier, number in carriers.items():
                assert [e.milestone for e in carrier.events(number)] == JOURNEY  # and it stays delivered
            clock.shift(60)
            for carrier, number in carriers.items():
                assert [e.milestone for e in carrier.events(number)] == JOURNEY
        finally:
            simulator.stop()


def test_without_auto_advance_unknown_numbers_stay_unknown(sim):
    with pytest.raises(TrackingNotFound):
        adapter(sim, "postnl").events("3SNEW1")
    with pytest.raises(TrackingNotFound):
        adapter(sim, "postnl").events("3SNEW1")


# Pushes, end to end: the simulator posts, the receiver hands the bytes to the real adapter


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_signed_push_is_read(sim, receiver, carrier):
    sim.add_event(carrier, "PUSHED1", Milestone.IN_TRANSIT, occurred_at=recent(3))

    event = sim.add_event(carrier, "PUSHED1", Milestone.OUT_FOR_DELIVERY, occurred_at=recent(1), push=True)

    assert receiver.rejected == []
    pushed = receiver.accepted[-1]
    # The same event as the poll reports (PostNL's push shape has no location).
    assert (pushed.fingerprint, pushed.milestone, pushed.description) == (
        event.fingerprint,
        event.milestone,
        event.description,
    )
    assert [push["status_code"] for push in sim.pushes] == [200]
    assert sim.push(carrier, "PUSHED1") == 200  # re-sending the current state is accepted again


@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_push_with_the_wrong_secret_is_refused(receiver, carrier):
    simulator = start_simulator(receiver, push_secrets={code: "not-the-secret" for code in ADAPTERS})
    try:
        simulator.add_event(carrier, "PUSHED1", Milestone.DELIVERED, push=True)
    finally:
        simulator.stop()
    assert receiver.accepted == []
    assert [push["status_code"] for push in simulator.pushes] == [403]
    assert "wrong" in receiver.rejected[0]


# Push authentication, byte by byte


def postnl_push(*, sent_at: datetime | None = None, secret: str = PUSH_SECRETS["postnl"], body: bytes | None = None):
    if body is None:
        body = json.dumps(
            {
                "SentAt": (sent_at or datetime.now(UTC)).isoformat(),
                "UpdatedShipments": [
                    {
                        "Barcode": "3SDEVC201611210",
                        "CreationDate": "2024-03-12T00:00:00",
                        "CustomerNumber": "11223344",
                        "CustomerCode": "DEVC",
                        "Status": {
                            "Timestamp": "2024-03-13T09:15:03",
                            "StatusCode": "7",
                            "StatusDescription": "Shipment out for delivery",
                            "PhaseCode": "3",
                            "PhaseDescription": "Distribution",
                        },
                    }
                ],
            }
        ).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-PostNL-Signature": signature}


def postnl_adapter(push_secret=PUSH_SECRETS["postnl"]):
    return PostNL(CarrierConfig("http://unused", "", push_secret))


def test_postnl_push_signed_with_the_secret_is_read():
    body, headers = postnl_push()

    [event] = postnl_adapter().push_events(body=body, headers={"x-postnl-signature": headers["X-PostNL-Signature"]})

    assert (event.tracking_number, event.milestone, event.code) == ("3SDEVC201611210", Milestone.OUT_FOR_DELIVERY, "7")
    assert event.occurred_at == datetime(2024, 3, 13, 8, 15, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    "tamper, reason",
    [
        (lambda body, headers: (body, {}), "missing X-PostNL-Signature"),
        (lambda body, headers: (body, {"X-PostNL-Signature": "0" * 64}), "wrong"),
        (lambda body, headers: (body.replace(b'"7"', b'"11"'), headers), "wrong"),  # body changed after signing
        (lambda body, headers: postnl_push(secret="another-secret"), "wrong"),
    ],
)
def test_postnl_push_without_a_valid_signature_is_rejected(tamper, reason):
    body, headers = tamper(*postnl_push())
    with pytest.raises(PushRejected, match=reason):
        postnl_adapter().push_events(body=body, headers=headers)


def test_postnl_push_is_refused_without_a_configured_secret():
    body, headers = postnl_push(secret="")
    with pytest.raises(PushRejected, match="no push secret"):
        postnl_adapter(push_secret="").push_events(body=body, headers=headers)


NOW = "{now}"  # filled in when the test runs: a body built at collection goes stale in a long suite


@pytest.mark.parametrize(
    "body, reason",
    [
        ("not json", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"UpdatedShipments": []}', "SentAt"),
        ('{"SentAt": "2030-01-01T00:00:00", "UpdatedShipments": []}', "offset"),
        ('{"SentAt": "' + NOW + '", "UpdatedShipments": []}', "non-empty"),
        ('{"SentAt": "' + NOW + '", "UpdatedShipments": [{"Barcode": "X"}]}', "lacks"),
    ],
)
def test_postnl_malformed_push_is_rejected(body, reason):
    body, headers = postnl_push(body=body.replace(NOW, datetime.now(UTC).isoformat()).encode())
    with pytest.raises(PushRejected, match=reason):
        postnl_adapter().push_events(body=body, headers=headers)


@pytest.mark.parametrize("age", [timedelta(minutes=6), timedelta(minutes=-6), timedelta(days=2)])
def test_postnl_stale_or_future_push_is_rejected(age):
    body, headers = postnl_push(sent_at=datetime.now(UTC) - age)
    with pytest.raises(PushRejected, match="stale"):
        postnl_adapter().push_events(body=body, headers=headers)


def dhl_push(*, newest: datetime | None = None, token: str = PUSH_SECRETS["dhl"]):
    moment = newest or recent(1)
    event = {
        "timestamp": moment.isoformat(),
        "location": {"address": {"countryCode": "NL", "postalCode": "3511 AX", "addressLocality": "Utrecht"}},
        "statusCode": "delivered",
        "status": "DELIVERED",
        "description": "The shipment has been successfully delivered",
    }
    body = json.dumps({"shipments": [{"id": "JVGL0123", "service": "parcel-nl", "status": event, "events": [event]}]})
    return body.encode(), {"X-DHL-Push-Token": token}


def dhl_adapter():
    return DHL(CarrierConfig("http://unused", "", PUSH_SECRETS["dhl"]))


def test_dhl_push_with_the_subscription_token_is_read():
    moment = recent(2)
    body, headers = dhl_push(newest=moment)

    [event] = dhl_adapter().push_events(body=body, headers=headers)

    assert (event.tracking_number, event.milestone, event.occurred_at) == ("JVGL0123", Milestone.DELIVERED, moment)


@pytest.mark.parametrize("headers", [{}, {"X-DHL-Push-Token": "guess"}, {"DHL-API-Key": PUSH_SECRETS["dhl"]}])
def test_dhl_push_without_the_token_is_rejected(headers):
    body, _ = dhl_push()
    with pytest.raises(PushRejected, match="X-DHL-Push-Token"):
        dhl_adapter().push_events(body=body, headers=headers)


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"{", "not JSON"),
        (b'{"shipments": []}', "no shipments"),
        (b'{"shipments": [{"events": []}]}', "no id"),
        (b'{"shipments": [{"id": "J1", "events": [{"statusCode": "transit", "timestamp": "soon"}]}]}', "unreadable"),
        (b'{"shipments": [{"id": "J1", "events": []}]}', "no events"),
    ],
)
def test_dhl_malformed_push_is_rejected(body, reason):
    with pytest.raises(PushRejected, match=reason):
        dhl_adapter().push_events(body=body, headers={"X-DHL-Push-Token": PUSH_SECRETS["dhl"]})


def test_dhl_push_about_old_news_is_rejected_as_a_replay():
    body, headers = dhl_push(newest=recent(24 * 4))
    with pytest.raises(PushRejected, match="stale"):
        dhl_adapter().push_events(body=body, headers=headers)


# Tracking pages


def test_postnl_tracking_url():
    postnl = postnl_adapter()
    assert (
        postnl.tracking_url("3SDEVC201611210", postcode="3532 va", country="nl")
        == "https://jouw.postnl.nl/track-and-trace/3SDEVC201611210-NL-3532VA"
    )
    assert postnl.tracking_url("3S/../x", postcode="1", country="BE").endswith("/3S%2F..%2FX-BE-1")


def test_dhl_tracking_url():
    assert (
        dhl_adapter().tracking_url("JVGL 0123&x=1")
        == "https://www.dhl.com/nl-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JVGL%200123%26x%3D1"
    )
