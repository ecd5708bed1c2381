"""The adapters' parsers against documents shaped as the carriers' docs show them (fixtures/*.json)."""

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from shop.fulfilment.carriers.base import CarrierUnavailable, Milestone, TrackingNotFound
from shop.fulfilment.carriers.dhl import shipment_events
from shop.fulfilment.carriers.postnl import DUTCH_TIME, events_from_status_response, parse_timestamp

FIXTURES = Path(__file__).parent / "fixtures"
CET = timezone(timedelta(hours=1))


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def test_postnl_complete_status_becomes_the_history_oldest_first_in_dutch_time():
    events = events_from_status_response(fixture("postnl_complete_status.json"), "3SDEVC201611210")

    assert [(e.code, e.milestone) for e in events] == [
        ("1", Milestone.ANNOUNCED),
        ("2", Milestone.IN_TRANSIT),
        ("5", Milestone.IN_TRANSIT),
        ("7", Milestone.OUT_FOR_DELIVERY),
        ("11", Milestone.DELIVERED),
    ]  # status 99 ("not applicable") is dropped; the current Status is not doubled
    first, *_, delivered = events
    assert first.occurred_at == datetime(2024, 3, 12, 17, 19, 31, tzinfo=CET)
    assert first.occurred_at.tzinfo == DUTCH_TIME
    assert delivered.occurred_at == datetime(2024, 3, 13, 13, 2, 41, tzinfo=UTC)
    assert delivered.description == "Shipment delivered"
    assert delivered.tracking_number == "3SDEVC201611210"
    # The scan with the status's timestamp says where it happened.
    assert [e.location for e in events] == ["888888", "212124", "171967", "171966", "171966"]


def test_postnl_no_shipment_warning_is_not_found():
    with pytest.raises(TrackingNotFound, match="No shipment found"):
        events_from_status_response(fixture("postnl_no_shipment.json"), "3SDEVC000000000")


def test_postnl_multicollo_picks_the_asked_parcel():
    events = events_from_status_response(fixture("postnl_multicollo.json"), "3SDEVC7755088")

    assert [(e.tracking_number, e.code) for e in events] == [("3SDEVC7755088", "1")]
    other = events_from_status_response(fixture("postnl_multicollo.json"), "3SDEVC5672025")
    assert [(e.code, e.milestone) for e in other] == [("1", Milestone.ANNOUNCED), ("13", Milestone.ANNOUNCED)]


def test_postnl_timestamps_with_milliseconds_and_summer_time():
    assert parse_timestamp("08-11-2022 00:10:11.081") == datetime(2022, 11, 7, 23, 10, 11, 81000, tzinfo=UTC)
    assert parse_timestamp("01-07-2024 12:00:00") == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_timestamp("2024-07-01T12:00:00")


def test_postnl_unknown_status_code_falls_back_on_its_phase():
    document = fixture("postnl_complete_status.json")
    shipment = document["CompleteStatus"]["Shipment"]
    shipment["OldStatus"] = [{**shipment["Status"], "StatusCode": "42", "PhaseCode": "2"}]
    shipment["Status"] = shipment["OldStatus"][0]

    [event] = events_from_status_response(document, "3SDEVC201611210")

    assert (event.code, event.milestone) == ("42", Milestone.IN_TRANSIT)


def test_postnl_repeated_autumn_hour_follows_postnls_order():
    # 02:50 then 02:10 on the night clocks go back: the second is the second pass through 02:xx.
    document = {
        "CompleteStatus": {
            "Shipment": {
                "Barcode": "3SDST",
                "Status": {"TimeStamp": "27-10-2024 02:10:00", "StatusCode": "5", "PhaseCode": "2"},
                "OldStatus": [
                    {"TimeStamp": "27-10-2024 02:10:00", "StatusCode": "5", "PhaseCode": "2"},
                    {"TimeStamp": "27-10-2024 02:50:00", "StatusCode": "2", "PhaseCode": "1"},
                ],
            }
        }
    }

    events = events_from_status_response(document, "3SDST")

    assert [e.code for e in events] == ["2", "5"]
    assert [e.occurred_at.astimezone(UTC).time().isoformat() for e in events] == ["00:50:00", "01:10:00"]


def test_postnl_unreadable_timestamp_is_the_carriers_fault():
    document = fixture("postnl_complete_status.json")
    document["CompleteStatus"]["Shipment"]["Status"]["TimeStamp"] = "yesterday"
    with pytest.raises(CarrierUnavailable):
        events_from_status_response(document, "3SDEVC201611210")


def test_dhl_shipment_becomes_events_oldest_first():
    [shipment] = fixture("dhl_shipments.json")["shipments"]

    events = shipment_events(shipment, "00340434292135100124")

    assert [(e.code, e.milestone) for e in events] == [
        ("pre-transit", Milestone.ANNOUNCED),
        ("transit", Milestone.IN_TRANSIT),
        ("transit", Milestone.OUT_FOR_DELIVERY),  # "unknown" at 04:40 is skipped
        ("delivered", Milestone.DELIVERED),
    ]
    assert all(e.occurred_at.tzinfo is not None for e in events)
    # Without an offset, DHL's time is read as Dutch local time; with one, as given.
    assert events[0].occurred_at == datetime(2024, 3, 12, 16, 19, 31, tzinfo=UTC)
    assert events[1].occurred_at == datetime(2024, 3, 13, 3, 40, 12, tzinfo=UTC)
    assert events[3].occurred_at == datetime(2024, 3, 13, 13, 2, 41, tzinfo=UTC)
    assert events[2].description == "The shipment has been loaded onto the delivery vehicle"
    assert events[0].location == "Amsterdam, NL"


def test_dhl_shipment_without_events_uses_its_status():
    [shipment] = fixture("dhl_shipments.json")["shipments"]
    del shipment["events"]

    [event] = shipment_events(shipment, "00340434292135100124")

    assert (event.milestone, event.occurred_at) == (Milestone.DELIVERED, datetime(2024, 3, 13, 13, 2, 41, tzinfo=UTC))
