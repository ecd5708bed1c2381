import pytest
from django.core.exceptions import ImproperlyConfigured

from shop.fulfilment.carriers import carrier_choices, carrier_for
from shop.fulfilment.carriers.dhl import DHL
from shop.fulfilment.carriers.postnl import PostNL

CARRIERS = {
    "postnl": {"API_URL": "http://127.0.0.1:9/postnl", "API_KEY": "pk", "PUSH_SECRET": "ps", "TIMEOUT": 3},
    "dhl": {"API_URL": "http://127.0.0.1:9/dhl", "API_KEY": "dk"},
}


def test_carrier_for_builds_the_adapter_from_settings(settings):
    settings.SHOP_CARRIERS = CARRIERS

    postnl, dhl = carrier_for("postnl"), carrier_for("dhl")

    assert isinstance(postnl, PostNL) and isinstance(dhl, DHL)
    assert (postnl.config.api_url, postnl.config.api_key, postnl.config.push_secret) == (
        "http://127.0.0.1:9/postnl",
        "pk",
        "ps",
    )
    assert (postnl.config.timeout, dhl.config.timeout, dhl.config.push_secret) == (3.0, 10.0, "")


def test_choices_follow_the_setting(settings):
    settings.SHOP_CARRIERS = {"dhl": CARRIERS["dhl"]}
    assert carrier_choices() == [("dhl", "DHL")]
    settings.SHOP_CARRIERS = CARRIERS
    assert carrier_choices() == [("postnl", "PostNL"), ("dhl", "DHL")]


def test_unknown_or_unconfigured_code_is_a_lookup_error(settings):
    settings.SHOP_CARRIERS = {"dhl": CARRIERS["dhl"]}
    with pytest.raises(LookupError, match="'ups'"):
        carrier_for("ups")
    with pytest.raises(LookupError, match="'postnl'"):
        carrier_for("postnl")


def test_missing_or_broken_setting_is_improperly_configured(settings):
    del settings.SHOP_CARRIERS
    with pytest.raises(ImproperlyConfigured, match="SHOP_CARRIERS"):
        carrier_choices()
    settings.SHOP_CARRIERS = {"postnl": {"API_URL": "http://x"}}
    with pytest.raises(ImproperlyConfigured, match="API_KEY"):
        carrier_for("postnl")
    settings.SHOP_CARRIERS = {"fedex": {}}
    with pytest.raises(ImproperlyConfigured, match="fedex"):
        carrier_choices()
