"""Every email task, rendering or delivering, has one queue and one retry policy: EMAIL_TASK in
shop/notifications/tasks.py (issue 17)."""

import re
from pathlib import Path

import dramatiq

from shop.notifications.tasks import EMAIL_TASK

ROOT = Path(__file__).resolve().parents[3]


def test_every_actor_on_the_emails_queue_retries_as_the_one_policy_says():
    actors = [actor for actor in dramatiq.get_broker().actors.values() if actor.queue_name == "emails"]

    assert {"send_email", "send_order_confirmation", "send_shipment_email"} <= {a.actor_name for a in actors}
    for actor in actors:
        policy = {name: actor.options.get(name) for name in EMAIL_TASK if name != "queue_name"}
        assert policy == {name: value for name, value in EMAIL_TASK.items() if name != "queue_name"}, actor


def test_only_the_policy_names_the_emails_queue():
    """An actor that spelled out queue_name="emails" would carry a retry policy of its own."""
    naming = [
        str(path.relative_to(ROOT))
        for package in ("shop", "cms", "oscar_forks")
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"""queue_name["']?\s*[=:]\s*["']emails["']""", path.read_text())
    ]
    assert naming == ["shop/notifications/tasks.py"]
