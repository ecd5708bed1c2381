import oscar.apps.offer.apps as apps


class OfferConfig(apps.OfferConfig):
    """Forked so a range's name goes into the dashboard's offer descriptions escaped: `utils.range_anchor`,
    and the default description of `Benefit` and `Condition` (`models.py`)."""

    name = "oscar_forks.offer"
