"""/simulator/...: the test controls over HTTP, for a simulator running in another process (make run, benchmarks)."""

import re
from typing import TYPE_CHECKING

from .replies import Reply, json_reply

if TYPE_CHECKING:
    from .server import MollieSimulator

PAYMENT_ACTION = re.compile(r"^/simulator/payments/(?P<payment_id>[^/]+)/(?P<action>status|chargebacks)/?$")
CHARGEBACK_REVERSE = re.compile(
    r"^/simulator/payments/(?P<payment_id>[^/]+)/chargebacks/(?P<chargeback_id>[^/]+)/reverse/?$"
)


def _json(status: int, data) -> Reply:
    return json_reply(status, data, content_type="application/json")


def control_reply(sim: "MollieSimulator", method: str, path: str, form: dict[str, str]) -> Reply:
    path = path.rstrip("/")
    if method == "GET" and path == "/simulator/requests":
        return _json(200, sim.requests)
    if method == "GET" and path == "/simulator/stats":
        return _json(200, sim.stats())
    if method == "POST" and path == "/simulator/reset":
        sim.reset()
        return _json(200, {"reset": True})
    if method == "POST" and path == "/simulator/refunds/settle":
        return _json(200, {"settled": sim.settle_refunds(form.get("payment_id"))})
    match = CHARGEBACK_REVERSE.match(path)
    if method == "POST" and match:
        try:
            return _json(200, sim.reverse_chargeback(match["payment_id"], match["chargeback_id"]))
        except KeyError as error:
            return _json(404, {"error": error.args[0]})
        except ValueError as error:
            return _json(422, {"error": str(error)})
    match = PAYMENT_ACTION.match(path)
    if method == "POST" and match:
        payment_id = match["payment_id"]
        try:
            if match["action"] == "status":
                return _json(200, sim.set_status(payment_id, form.get("status", "")))
            return _json(201, sim.create_chargeback(payment_id, form.get("amount")))
        except KeyError:
            return _json(404, {"error": f"No payment {payment_id}"})
        except ValueError as error:  # includes PaymentStateError
            return _json(422, {"error": str(error)})
    return _json(404, {"error": f"No simulator control at {method} {path}"})
