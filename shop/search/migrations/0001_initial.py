"""The PostgreSQL search backend's tables: documents and their vocabulary, pg_trgm and the GIN indexes."""

import django.contrib.postgres.search
import django.core.serializers.json
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.CharField(max_length=255, primary_key=True, serialize=False)),
                ("django_ct", models.CharField(db_index=True, max_length=100)),
                ("django_id", models.CharField(max_length=100)),
                ("data", models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("fuzzy_text", models.TextField(blank=True, default="")),
            ],
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=64, primary_key=True, serialize=False))],
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=GinIndex(fields=["search_vector"], name="search_doc_vector_gin"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=GinIndex(fields=["fuzzy_text"], opclasses=["gin_trgm_ops"], name="search_doc_fuzzy_trgm"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=GinIndex(fields=["data"], name="search_doc_data_gin"),
        ),
        migrations.AddIndex(
            model_name="searchword",
            index=GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_word_trgm"),
        ),
    ]
