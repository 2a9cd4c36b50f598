"""Seed the register's categories (reversible)."""

from django.db import migrations

from procedures.seed import CATEGORIES, ensure_categories


def seed(apps, schema_editor):
    ensure_categories(apps.get_model("procedures", "Category"))


def unseed(apps, schema_editor):
    Category = apps.get_model("procedures", "Category")
    Category.objects.filter(slug__in=[slug for slug, _name, _kind in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
