"""Rich text that staff and partners type into Oscar (descriptions) is cleaned when it is saved.

Oscar's templates print these fields with `|safe`; whatever survives here reaches shoppers' and admins'
browsers as HTML. nh3 (the ammonia sanitiser) keeps formatting and links and drops scripts, event
handlers, styles, iframes and `javascript:` URLs. Wagtail's own rich text is cleaned by Wagtail's editor.
"""

import nh3
from django.apps import apps
from django.db.models.signals import pre_save

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "span",
    "h2", "h3", "h4", "h5", "h6", "blockquote", "code", "pre", "hr",
    "ul", "ol", "li", "dl", "dt", "dd", "a",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# (app label, model name) → the fields staff fill with HTML.
RICH_TEXT_FIELDS = {
    ("catalogue", "Product"): ("description",),
    ("catalogue", "Category"): ("description",),
    ("offer", "ConditionalOffer"): ("description",),
    ("offer", "Range"): ("description",),
    ("shipping", "OrderAndItemCharges"): ("description",),
    ("shipping", "WeightBased"): ("description",),
}


def html_clean(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def _clean_on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return  # fixtures load what they hold
    for field in RICH_TEXT_FIELDS[(sender._meta.app_label, sender._meta.object_name)]:
        value = getattr(instance, field)
        if value:
            setattr(instance, field, html_clean(value))


def rich_text_cleaning_connect() -> None:
    for app_label, model_name in RICH_TEXT_FIELDS:
        model = apps.get_model(app_label, model_name)
        pre_save.connect(_clean_on_save, sender=model, dispatch_uid=f"rich-text-{app_label}.{model_name}")
