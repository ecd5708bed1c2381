from shop.http.areas import CMS_AREA


class CmsSameOriginFramesMiddleware:
    """Let Wagtail's editor frame its own previews; every other page stays X-Frame-Options: DENY.

    Listed after XFrameOptionsMiddleware, so it sets the header first and
    Django's middleware leaves it alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # path_info is the path inside the site; path starts with SCRIPT_NAME, which a proxy may set.
        if request.path_info.startswith(CMS_AREA):
            response.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
