"""The simulator's memory: parcels and their events, what it was asked, what it pushed. One lock guards it all."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shop.fulfilment.carriers.base import Milestone

from .scripts import JOURNEY

CARRIERS = ("postnl", "dhl")


@dataclass(frozen=True)
class SimulatedEvent:
    milestone: Milestone
    occurred_at: datetime  # aware, whole seconds (carriers report no finer)


@dataclass
class Parcel:
    carrier: str
    tracking_number: str
    first_seen: datetime
    events: list[SimulatedEvent] = field(default_factory=list)
    auto_advance: bool = False  # registered by a shop's question, walks JOURNEY by itself

    def advance(self, now: datetime, step: float) -> None:
        """Add the journey steps due by `now`, each `step` seconds after the previous one."""
        due = min(int((now - self.first_seen).total_seconds() // step), len(JOURNEY) - 1)
        for index in range(len(self.events), due + 1):
            moment = self.first_seen + timedelta(seconds=step * index)
            self.events.append(SimulatedEvent(JOURNEY[index], moment.replace(microsecond=0)))


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, auto_advance_seconds: float | None):
        self.lock = threading.RLock()
        self.auto_advance_seconds = auto_advance_seconds
        self.parcels: dict[tuple[str, str], Parcel] = {}
        self.requests: list[dict] = []
        self.pushes: list[dict] = []
        self.failures: dict[str, list[int]] = {carrier: [] for carrier in CARRIERS}

    def parcel(self, carrier: str, tracking_number: str, *, asked: bool = False) -> Parcel | None:
        """The parcel, brought up to date. With auto-advance, a number the shop asks about is registered."""
        key = (carrier, tracking_number)
        parcel = self.parcels.get(key)
        if parcel is None and asked and self.auto_advance_seconds:
            parcel = self.parcels[key] = Parcel(carrier, tracking_number, utc_now(), auto_advance=True)
        if parcel is not None and parcel.auto_advance:
            parcel.advance(utc_now(), self.auto_advance_seconds)
        return parcel

    def add_event(self, carrier: str, tracking_number: str, event: SimulatedEvent) -> None:
        key = (carrier, tracking_number)
        parcel = self.parcels.setdefault(key, Parcel(carrier, tracking_number, event.occurred_at))
        parcel.events.append(event)
        parcel.events.sort(key=lambda item: item.occurred_at)

    def take_failure(self, carrier: str) -> int | None:
        queue = self.failures[carrier]
        return queue.pop(0) if queue else None
