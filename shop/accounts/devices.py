"""A browser's User-Agent, said the way a person recognises their own device ("Firefox on Linux")."""

from django.utils.translation import gettext as _
from ua_parser import parse


def device_label(user_agent: str) -> str:
    parsed = parse(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent else None
    system = parsed.os.family if parsed.os else None
    device = parsed.device.family if parsed.device and parsed.device.family not in ("Other", "Generic") else None
    if not browser:
        return _("Unknown browser")
    label = _("%(browser)s on %(system)s") % {"browser": browser, "system": system} if system else browser
    return f"{label} ({device})" if device and device != system else label
