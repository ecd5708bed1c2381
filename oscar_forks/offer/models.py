from django.utils.html import conditional_escape
from oscar.apps.offer.abstract_models import AbstractBenefit, AbstractCondition


class Benefit(AbstractBenefit):
    @property
    def description(self):
        # Oscar's default description is the proxy's name, which holds the range's name as typed,
        # and the dashboard prints descriptions with `|safe`: escape it (Oscar's own says "may contain HTML").
        return conditional_escape(self.name)


class Condition(AbstractCondition):
    @property
    def description(self):
        return conditional_escape(self.name)


from oscar.apps.offer.models import *  # noqa: E402,F403
