"""The shop's URLs and one that fails: the accessibility walk's way to the 500 page."""

from django.urls import path

from shop.urls import urlpatterns as shop_urlpatterns


def fail(request):
    raise RuntimeError("the accessibility walk asked for the 500 page")


urlpatterns = [path("fail/", fail), *shop_urlpatterns]
