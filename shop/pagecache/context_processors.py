"""Templates of a page rendered as a shell (services.PageCacheState.shell) get no per-visitor state."""

from .services import page_is_shell


class _TokenFilledByScript(str):
    """Renders `{% csrf_token %}` as an empty hidden input that visitor.js fills in.

    Django's tag prints nothing for a false token, so this empty string is true. Never calling get_token()
    also keeps the CSRF cookie off the cached response."""

    def __bool__(self):
        return True


TOKEN_FILLED_BY_SCRIPT = _TokenFilledByScript("")


def page_shell(request):
    if not page_is_shell(request):
        return {"page_shell": False}
    # After Django's csrf and messages processors in TEMPLATES, so these win.
    return {"page_shell": True, "csrf_token": TOKEN_FILLED_BY_SCRIPT, "messages": ()}
