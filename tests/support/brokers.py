from contextlib import contextmanager

import dramatiq
from django.conf import settings
from django_dramatiq.utils import load_middleware


def shop_middleware():
    """The middleware the project configures, fresh instances for a new broker."""
    return [load_middleware(path) for path in settings.DRAMATIQ_BROKER["MIDDLEWARE"]]


@contextmanager
def actors_on(broker):
    """Declare every actor on `broker` and make it the global broker, then put things back."""
    previous = dramatiq.get_broker()
    for actor in previous.actors.values():
        actor.broker = broker
        broker.declare_actor(actor)
    dramatiq.set_broker(broker)
    try:
        yield broker
    finally:
        for actor in previous.actors.values():
            actor.broker = previous
        dramatiq.set_broker(previous)
