"""What each carrier says for each milestone: its codes and words, taken from its published code lists
(see the adapters' docstrings). The simulator emits these; the adapters must map them back."""

from dataclasses import dataclass

from shop.fulfilment.carriers.base import Milestone


@dataclass(frozen=True)
class PostNLStep:
    status_code: str
    status_nl: str
    status_en: str
    phase_code: str
    phase_nl: str
    phase_en: str
    event_code: str
    event_nl: str
    event_en: str
    location_code: str


@dataclass(frozen=True)
class DHLStep:
    status_code: str  # pre-transit, transit, delivered, failure
    status: str
    description: str
    locality: str
    postal_code: str
    country_code: str = "NL"


POSTNL_STEPS: dict[Milestone, PostNLStep] = {
    Milestone.ANNOUNCED: PostNLStep(
        "1",
        "Zending voorgemeld",
        "Shipment pre-alerted",
        "1",
        "Collectie",
        "Collection",
        "A01",
        "Pakket is nog niet door PostNL ontvangen of verwerkt",
        "Shipment expected, but not yet arrived at PostNL",
        "888888",
    ),
    Milestone.IN_TRANSIT: PostNLStep(
        "5",
        "Zending gesorteerd",
        "Shipment sorted",
        "2",
        "Sortering",
        "Sorting",
        "J01",
        "Zending is gesorteerd",
        "Shipment has been sorted",
        "171967",
    ),
    Milestone.OUT_FOR_DELIVERY: PostNLStep(
        "7",
        "Zending in distributieproces",
        "Shipment out for delivery",
        "3",
        "Distributie",
        "Distribution",
        "J05",
        "Chauffeur is onderweg",
        "Driver is en route",
        "171966",
    ),
    Milestone.DELIVERED: PostNLStep(
        "11",
        "Zending afgeleverd",
        "Shipment delivered",
        "4",
        "Afgeleverd",
        "Delivered",
        "I01",
        "Zending is bezorgd",
        "Shipment delivered",
        "171966",
    ),
    Milestone.EXCEPTION: PostNLStep(
        "8",
        "Zending niet afgeleverd",
        "Shipment not delivered",
        "3",
        "Distributie",
        "Distribution",
        "H01",
        "Zending niet afgeleverd, niemand thuis",
        "Shipment not delivered, nobody home",
        "171966",
    ),
}

DHL_STEPS: dict[Milestone, DHLStep] = {
    Milestone.ANNOUNCED: DHLStep(
        "pre-transit", "PRE_TRANSIT", "The shipment data has been received by DHL", "Amsterdam", "1043 AG"
    ),
    Milestone.IN_TRANSIT: DHLStep(
        "transit", "IN_TRANSIT", "The shipment has been processed in the parcel center", "Utrecht", "3542 AD"
    ),
    Milestone.OUT_FOR_DELIVERY: DHLStep(
        "transit", "OUT_FOR_DELIVERY", "The shipment has been loaded onto the delivery vehicle", "Utrecht", "3511 AX"
    ),
    Milestone.DELIVERED: DHLStep(
        "delivered", "DELIVERED", "The shipment has been successfully delivered", "Utrecht", "3511 AX"
    ),
    Milestone.EXCEPTION: DHLStep(
        "failure", "DELIVERY_FAILED", "Delivery was not possible: the recipient was not at home", "Utrecht", "3511 AX"
    ),
}

# The journey auto-advance walks a parcel through.
JOURNEY = (Milestone.ANNOUNCED, Milestone.IN_TRANSIT, Milestone.OUT_FOR_DELIVERY, Milestone.DELIVERED)
