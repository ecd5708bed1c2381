"""CarrierSimulator: PostNL's and DHL's tracking APIs on loopback, and their pushes to the shop, with test controls."""

import copy
from datetime import datetime
from types import ModuleType
from urllib.parse import parse_qsl, unquote, urlsplit

import requests

from shop.devtools.loopback import LoopbackSimulator, Reply, json_reply
from shop.fulfilment.carriers.base import CarrierEvent, Milestone

from . import dhl, postnl
from .state import CARRIERS, SimulatedEvent, Store, utc_now

DIALECTS: dict[str, ModuleType] = {"postnl": postnl, "dhl": dhl}
# Logged per request: enough to check what the adapter sent, without dumping every header.
LOGGED_HEADERS = ("apikey", "DHL-API-Key", "Accept", "User-Agent", "X-Request-Id")
PUSH_TIMEOUT_SECONDS = 15


class CarrierSimulator(LoopbackSimulator):
    label = "carrier simulator"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        push_urls: dict[str, str] | None = None,
        push_secrets: dict[str, str] | None = None,
        api_keys: dict[str, str] | None = None,
        auto_advance_seconds: float | None = None,
    ):
        """`api_keys`: the key each carrier accepts (a carrier left out accepts any non-empty key).
        `auto_advance_seconds`: when set, a tracking number the shop asks about that was never seen is
        registered as announced and moves one step along the journey per that many seconds."""
        super().__init__(host, port)
        self._push_urls = dict(push_urls or {})
        self._push_secrets = dict(push_secrets or {})
        self._api_keys = dict(api_keys or {})
        self._store = Store(auto_advance_seconds)

    # What happened

    @property
    def requests(self) -> list[dict]:
        with self._store.lock:
            return copy.deepcopy(self._store.requests)

    @property
    def pushes(self) -> list[dict]:
        with self._store.lock:
            return copy.deepcopy(self._store.pushes)

    def events(self, carrier: str, tracking_number: str) -> list[CarrierEvent]:
        """The parcel's events as the carrier's adapter should read them, oldest first."""
        with self._store.lock:
            parcel = self._store.parcel(_known(carrier), tracking_number)
            if parcel is None:
                return []
            return [DIALECTS[carrier].carrier_event(tracking_number, event) for event in parcel.events]

    # Playing the carrier

    def add_event(
        self,
        carrier: str,
        tracking_number: str,
        milestone: Milestone,
        *,
        occurred_at: datetime | None = None,
        push: bool = False,
    ) -> CarrierEvent:
        moment = occurred_at or utc_now()
        if moment.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
        event = SimulatedEvent(Milestone(milestone), moment.replace(microsecond=0))
        with self._store.lock:
            self._store.add_event(_known(carrier), tracking_number, event)
        if push:
            self.push(carrier, tracking_number)
        return DIALECTS[carrier].carrier_event(tracking_number, event)

    def push(self, carrier: str, tracking_number: str) -> int | None:
        """POST the parcel's current state to the shop, signed as the carrier does; returns after the shop
        answered, with its status code (None when it could not be reached)."""
        url = self._push_urls.get(_known(carrier))
        if not url:
            raise LookupError(f"No push URL for {carrier}: pass push_urls={{{carrier!r}: ...}}")
        with self._store.lock:
            parcel = self._store.parcel(carrier, tracking_number)
            if parcel is None or not parcel.events:
                raise LookupError(f"{carrier} has no parcel {tracking_number}")
            body, headers = DIALECTS[carrier].push_request(parcel, self._push_secrets.get(carrier, ""))
        # Outside the lock: the shop may call the simulator's API while it handles the push.
        status_code, error = _post(url, body, headers)
        with self._store.lock:
            self._store.pushes.append(
                {
                    "carrier": carrier,
                    "tracking_number": tracking_number,
                    "url": url,
                    "status_code": status_code,
                    "error": error,
                    "at": utc_now().isoformat(),
                }
            )
        return status_code

    def fail_next(self, carrier: str, status: int, *, times: int = 1) -> None:
        """The next `times` API requests to `carrier` answer `status` in the carrier's error shape."""
        with self._store.lock:
            self._store.failures[_known(carrier)].extend([status] * times)

    # HTTP

    def respond(self, method: str, target: str, headers, body: bytes = b"") -> Reply:
        parts = urlsplit(target)
        carrier, _, path = parts.path.lstrip("/").partition("/")
        if carrier not in DIALECTS:
            return json_reply(404, {"error": f"Nothing at {parts.path}; carriers live under /postnl and /dhl"})
        path = "/" + path
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        dialect = DIALECTS[carrier]
        with self._store.lock:
            self._store.requests.append(
                {
                    "carrier": carrier,
                    "method": method,
                    "path": path,
                    "query": query,
                    "headers": {name: headers[name] for name in LOGGED_HEADERS if headers.get(name) is not None},
                }
            )
            failure = self._store.take_failure(carrier)
        if failure is not None:
            return dialect.error_reply(failure)
        if method != "GET":
            return dialect.error_reply(405)
        number = _tracking_number(carrier, path, query)
        if number is None:
            return dialect.error_reply(404)
        key = headers.get(dialect.API_KEY_HEADER) or ""
        expected = self._api_keys.get(carrier)
        if not key or (expected is not None and key != expected):
            return dialect.error_reply(401, missing_key=not key)
        with self._store.lock:
            parcel = self._store.parcel(carrier, number, asked=True)
            if parcel is None or not parcel.events:
                return dialect.not_found_reply()
            return dialect.status_reply(parcel, query)


def _known(carrier: str) -> str:
    if carrier not in CARRIERS:
        raise LookupError(f"The simulator plays {', '.join(CARRIERS)}, not {carrier!r}")
    return carrier


def _tracking_number(carrier: str, path: str, query: dict[str, str]) -> str | None:
    if carrier == "postnl":
        match = postnl.STATUS_PATH.match(path)
        return unquote(match["number"]) if match else None
    if dhl.TRACK_PATH.match(path):
        return query.get("trackingNumber") or None
    return None


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str | None]:
    # trust_env=False: the carrier calls the shop directly, whatever HTTP(S)_PROXY says.
    with requests.Session() as session:
        session.trust_env = False
        try:
            response = session.post(
                url,
                data=body,
                headers={"Content-Type": "application/json", **headers},
                timeout=PUSH_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return None, f"{type(exc).__name__}: {exc}"
    return response.status_code, None if response.ok else f"HTTP {response.status_code}"
