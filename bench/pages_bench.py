"""Response times and SQL counts of the main pages for a growing number of measures.

Usage: .venv/bin/python bench/pages_bench.py [--sizes 100,1000,3000] [--repeat 20]
Runs against a throw-away test database (SQLite by default; set DATABASE_URL for PostgreSQL).
Prints a Markdown table; nothing here is asserted (timings belong here, not in tests).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    ("Liste", "/massnahmen/"),
    ("Liste gefiltert", "/massnahmen/?q=Digital&sort=title&status=in_progress"),
    ("Übersicht Landkreis", "/massnahmen/kommune/landkreis-luechow-dannenberg/"),
    ("Übersicht Samtgemeinde", "/massnahmen/kommune/sg-elbtalaue/"),
    ("Detail", None),
]


def build(count):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from fields_of_action.models import FieldOfAction
    from measures.models import Measure, Partnership, Status
    from municipalities.models import Membership, Municipality, Role

    Partnership.objects.all().delete()
    Measure.objects.all().delete()
    if not Municipality.objects.exists():
        call_command(
            "import_municipalities",
            "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv",
            verbosity=0,
        )
    bodies = list(Municipality.objects.all())
    fields = list(FieldOfAction.objects.all())
    statuses = list(Status)
    measures = Measure.objects.bulk_create(
        Measure(
            lead_municipality=bodies[i % len(bodies)],
            field_of_action=fields[i % len(fields)],
            status=statuses[i % len(statuses)],
            title=f"Digitale Maßnahme {i}",
            summary="Kurzbeschreibung",
        )
        for i in range(count)
    )
    Partnership.objects.bulk_create(
        Partnership(measure=m, municipality=bodies[(i + 3) % len(bodies)])
        for i, m in enumerate(measures)
        if i % 3 == 0
    )
    user, _ = get_user_model().objects.get_or_create(username="bench")
    district = Municipality.objects.get(kind="district")
    Membership.objects.get_or_create(user=user, municipality=district, role=Role.COORDINATOR)
    return user, measures[0]


def measure(client, url, repeat):
    timings = []
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        print(f"Datenbank: {connection.vendor}; Median aus {args.repeat} Abrufen\n")
        print("| Maßnahmen | Seite | Median (ms) | SQL-Abfragen |")
        print("| ---: | --- | ---: | ---: |")
        for size in (int(s) for s in args.sizes.split(",")):
            user, first = build(size)
            client = Client()
            client.force_login(user)
            for label, url in PAGES:
                url = url or f"/massnahmen/{first.pk}/"
                median, queries = measure(client, url, args.repeat)
                print(f"| {size} | {label} | {median:.1f} | {queries} |")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
