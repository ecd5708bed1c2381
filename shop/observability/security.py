"""Security events: refusals an operator may want to see together (category "security").

Failed and locked-out sign-ins come from the account audit trail (shop/accounts/audit.py); throttle
refusals, staff-rule denials and refused webhooks and carrier pushes come through `security_event`.
Query them with `jq 'select(.category=="security")'`.
"""

import structlog

SECURITY = "security"

logger = structlog.get_logger("shop.security")


def security_event(event: str, **fields) -> None:
    logger.warning(event, category=SECURITY, **fields)
