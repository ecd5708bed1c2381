"""Clean rich text stored before cleaning on save existed (run once after upgrading; safe to repeat)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from tqdm import tqdm

from shop.core.rich_text import RICH_TEXT_FIELDS, html_clean


class Command(BaseCommand):
    help = "Clean every stored description (scripts, event handlers and javascript: links are removed)."

    def handle(self, *args, **options):
        changed = 0
        quiet = options["verbosity"] < 1
        for (app_label, model_name), fields in RICH_TEXT_FIELDS.items():
            model = apps.get_model(app_label, model_name)
            rows = model._default_manager.values_list("pk", *fields)
            for pk, *values in tqdm(rows.iterator(), total=rows.count(), desc=model_name, disable=quiet):
                stored = dict(zip(fields, values, strict=True))
                cleaned = {field: html_clean(value) for field, value in stored.items() if value}
                if any(cleaned[field] != stored[field] for field in cleaned):
                    model._default_manager.filter(pk=pk).update(**cleaned)  # no signals: nothing else changes
                    changed += 1
        self.stdout.write(f"{changed} row(s) cleaned.")
