"""What the shop needs from a carrier, whatever its API looks like.

An adapter turns one carrier's published tracking API into `CarrierEvent`s: it fetches the
events of a parcel (the poll), and checks and reads the updates the carrier pushes to us.
Services decide what an event means for the order; nothing here touches the database.
"""

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class Milestone(StrEnum):
    """Where a parcel is, in the words the shop uses for every carrier."""

    ANNOUNCED = "announced"  # label made, parcel not yet with the carrier
    IN_TRANSIT = "in_transit"  # collected, sorted, on its way
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"  # not delivered: nobody home, damaged, returned, held


@dataclass(frozen=True)
class CarrierEvent:
    tracking_number: str
    milestone: Milestone
    occurred_at: datetime  # timezone-aware
    code: str  # the carrier's own status code, kept for staff
    description: str  # the carrier's words, shown to the shopper
    location: str = ""

    @property
    def fingerprint(self) -> str:
        """One event, however often the poll and pushes deliver it (carriers give events no id). Its code
        alone is not enough: DHL reports every step on the way as "transit", stamped to the second."""
        # The same moment in another zone, or with milliseconds in one format only, is the same event.
        moment = self.occurred_at.astimezone(UTC).replace(microsecond=0).isoformat()
        key = "|".join((self.tracking_number, self.code, self.milestone, self.description, moment))
        return hashlib.sha256(key.encode()).hexdigest()


class CarrierError(Exception):
    pass


class CarrierUnavailable(CarrierError):
    """The carrier could not be asked now (network, timeout, 5xx, rate limited): try again later."""


class TrackingNotFound(CarrierError):
    """The carrier does not know this tracking number (yet)."""


class PushRejected(CarrierError):
    """A push that cannot be read or is stale; the message says why."""


class PushUnauthenticated(PushRejected):
    """A push without the carrier's signature or token, or with a wrong one."""


@dataclass(frozen=True)
class CarrierConfig:
    api_url: str  # base URL of the carrier's API (the simulator's in dev and tests)
    api_key: str
    push_secret: str  # authenticates the carrier's pushes to us
    timeout: float = 10.0


class Carrier(ABC):
    code: str  # "postnl", "dhl": stored on shipments
    name: str  # shown to shoppers and staff

    def __init__(self, config: CarrierConfig):
        self.config = config

    @abstractmethod
    def tracking_url(self, tracking_number: str, *, postcode: str = "", country: str = "") -> str:
        """The carrier's public page for this parcel, for the shopper."""

    @abstractmethod
    def events(self, tracking_number: str, *, postcode: str = "", country: str = "") -> list[CarrierEvent]:
        """Every event the carrier reports for this parcel, oldest first.
        Raises CarrierUnavailable or TrackingNotFound."""

    @abstractmethod
    def push_events(self, *, body: bytes, headers: Mapping[str, str]) -> list[CarrierEvent]:
        """The events in a push, after checking that the carrier sent it. Raises PushRejected."""
