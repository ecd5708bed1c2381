"""Clean rich text stored before cleaning on save existed (run once after upgrading; safe to repeat)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.html import strip_tags
from tqdm import tqdm

from cms.rich_text import MARKUP, PLAIN_TEXT_FIELDS, RICH_TEXT_FIELDS, html_clean


class Command(BaseCommand):
    help = (
        "Clean every stored description (scripts, event handlers and javascript: links are removed) "
        "and strip tags from names that must be plain text."
    )

    def handle(self, *args, **options):
        quiet = options["verbosity"] < 1
        changed = self._rewrite(RICH_TEXT_FIELDS, html_clean, quiet)
        changed += self._rewrite(PLAIN_TEXT_FIELDS, _plain, quiet)
        self.stdout.write(f"{changed} row(s) cleaned.")

    def _rewrite(self, fields_by_model, clean, quiet: bool) -> int:
        changed = 0
        for (app_label, model_name), fields in fields_by_model.items():
            model = apps.get_model(app_label, model_name)
            rows = model._default_manager.values_list("pk", *fields)
            for pk, *values in tqdm(rows.iterator(), total=rows.count(), desc=model_name, disable=quiet):
                stored = dict(zip(fields, values, strict=True))
                cleaned = {field: clean(value) for field, value in stored.items() if value}
                if any(cleaned[field] != stored[field] for field in cleaned):
                    model._default_manager.filter(pk=pk).update(**cleaned)  # no signals: nothing else changes
                    changed += 1
        return changed


def _plain(value: str) -> str:
    return strip_tags(value) if MARKUP.search(value) else value
