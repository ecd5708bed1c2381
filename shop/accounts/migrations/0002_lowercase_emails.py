from django.db import migrations
from django.db.models.functions import Lower


def lowercase_emails(apps, schema_editor):
    # Users saved before User.save lower-cased addresses; the case-insensitive constraint keeps them unique.
    apps.get_model("accounts", "User").objects.exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
