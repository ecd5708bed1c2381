"""Rich text that staff and partners type into Oscar (descriptions) is cleaned when it is saved, and
names that must be plain text are refused when they hold markup.

Oscar's templates print these fields with `|safe`; whatever survives here reaches shoppers' and admins'
browsers as HTML. nh3 (the ammonia sanitiser) keeps formatting and links and drops scripts, event
handlers, styles, iframes and `javascript:` URLs. Wagtail's own rich text is cleaned by Wagtail's editor.

Some names are plain text that Oscar still puts into HTML unescaped: a range's name inside the
dashboard's offer descriptions, a category's name in the dashboard's category search, a product's
title in stock alert emails. A name with markup is refused (forms say why; any other write raises), so
nothing stored can become a script in a superuser's session.
"""

import re

import nh3
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

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
    ("catalogue", "Category"): ("description", "long_description"),
    ("offer", "ConditionalOffer"): ("description",),
    ("offer", "Range"): ("description",),
    ("shipping", "OrderAndItemCharges"): ("description",),
    ("shipping", "WeightBased"): ("description",),
}

# (app label, model name) → the plain-text fields Oscar prints unescaped somewhere.
PLAIN_TEXT_FIELDS = {
    ("offer", "Range"): ("name",),
    ("catalogue", "Category"): ("name",),
    ("catalogue", "Product"): ("title",),
}

# What a browser starts a tag, comment or declaration with: "<" and a letter, "/", "!" or "?".
# "Size < 10" and "A<3" stay plain text.
MARKUP = re.compile(r"<[A-Za-z/!?]")


def markup_refuse(value: str) -> None:
    """A validator for plain-text names."""
    if value and MARKUP.search(value):
        raise ValidationError(_("Use plain text here: HTML tags are not allowed."), code="markup")


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


def _refuse_markup_on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for field in PLAIN_TEXT_FIELDS[(sender._meta.app_label, sender._meta.object_name)]:
        markup_refuse(getattr(instance, field))


def rich_text_cleaning_connect() -> None:
    for app_label, model_name in RICH_TEXT_FIELDS:
        model = apps.get_model(app_label, model_name)
        pre_save.connect(_clean_on_save, sender=model, dispatch_uid=f"rich-text-{app_label}.{model_name}")
    for (app_label, model_name), fields in PLAIN_TEXT_FIELDS.items():
        model = apps.get_model(app_label, model_name)
        # Model forms (dashboard, admin) run field validators: the editor sees the reason beside the field.
        for field in fields:
            validators = model._meta.get_field(field).validators
            if markup_refuse not in validators:
                validators.append(markup_refuse)
        pre_save.connect(_refuse_markup_on_save, sender=model, dispatch_uid=f"plain-text-{app_label}.{model_name}")
