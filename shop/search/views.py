from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .selectors import product_completions


@require_GET
@cache_control(public=True, max_age=60)  # the same for every visitor
def autocomplete(request):
    """`?q=tea` → {"results": [{"title": "Ceramic Teapot", "url": "/shop/catalogue/…"}]}"""
    return JsonResponse({"results": product_completions(text=request.GET.get("q", ""))})
