from django.utils.functional import lazy

from .name import shop_name as shop_name_read


def shop_name(request):
    """`shop_name` in every template, in place of Oscar's (its setting): read only if the page prints it."""
    return {"shop_name": lazy(shop_name_read, str)(request)}
