"""Seed the six fields of action of the Kreistag's resolution (reversible)."""

from django.db import migrations

from fields_of_action.seed import FIELDS_OF_ACTION, ensure_fields_of_action


def seed(apps, schema_editor):
    ensure_fields_of_action(apps.get_model("fields_of_action", "FieldOfAction"))


def unseed(apps, schema_editor):
    FieldOfAction = apps.get_model("fields_of_action", "FieldOfAction")
    FieldOfAction.objects.filter(number__in=[d["number"] for d in FIELDS_OF_ACTION]).delete()


class Migration(migrations.Migration):
    dependencies = [("fields_of_action", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
