from django.conf import settings


class CmsSameOriginFramesMiddleware:
    """Let Wagtail's editor frame its own previews; every other page stays X-Frame-Options: DENY.

    Listed after XFrameOptionsMiddleware, so it sets the header first and
    Django's middleware leaves it alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/cms/"):
            response.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after SHOP_STAFF_IDLE_MINUTES without a request: a dashboard or editor left open
    on a shared computer does not stay signed in. Each staff request starts the idle period again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.SHOP_STAFF_IDLE_MINUTES * 60)
        return self.get_response(request)
