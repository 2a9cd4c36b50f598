"""Benchmark of the imports with 5,000 rows: the measures exchange (CSV and XLSX) and the register.

For each file: reading it with csv/openpyxl alone (the floor), then the portal's parsing
(``read_files``/``read_table``), the validation (the dry run shown as preview) and the apply
(check again with the rows locked, then save), in CPU seconds of this process and in SQL
queries. A fresh SQLite database with the 31 real bodies; the measures file holds new
measures spread over all bodies and fields of action (what the issue's 330 KB CSV held), the
register file one new procedure per row.

    .venv/bin/python bench/import_bench.py [--rows 5000] [--profile]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/import_bench.py

Target (issue 18): parsing and validation of 5,000 rows under 5 s of CPU, or the work in a
Celery task; no request of an import holds a web worker longer than 5 s. A measures file of
more than 200 rows is checked and applied by the task ``measures.run_import``; its upload
request only reads the file ("Einlesen"). Tests assert query counts, never timings.
"""

import argparse
import cProfile
import csv
import gc
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GV_CSV = ROOT / "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS_CSV = ROOT / "municipalities/data/samtgemeinde_sitze.csv"
TARGET_SECONDS = 5


def django_setup(db_path):
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def coordinator():
    from django.contrib.auth import get_user_model

    from municipalities.models import Membership, Municipality, MunicipalityKind, Role

    user = get_user_model().objects.create(username="bench-koordination")
    district = Municipality.objects.get(kind=MunicipalityKind.DISTRICT)
    Membership.objects.create(user=user, municipality=district, role=Role.COORDINATOR)
    return user


def measures_files(count):
    """(CSV bytes, XLSX bytes) with ``count`` new measures, written by the portal's export."""
    from fields_of_action.models import FieldOfAction
    from measures.demo.content import TEMPLATES
    from measures.exchange.csv_format import write_csv
    from measures.exchange.sheets import Lookups, build_export
    from measures.exchange.xlsx_format import write_xlsx
    from measures.models import Measure
    from municipalities.models import Municipality

    bodies = list(Municipality.objects.order_by("tree_path"))
    fields = {f.number: f for f in FieldOfAction.objects.all()}
    rng = random.Random(20261206)  # noqa: S311 - sample data, not security
    rows = []
    for i in range(count):
        template = TEMPLATES[i % len(TEMPLATES)]
        body = bodies[rng.randrange(len(bodies))]
        names = {"name": body.name, "kommune": body.name, "in_kommune": f"in {body.name}"}
        rows.append(
            Measure(
                lead_municipality=body,
                field_of_action=fields[template.field],
                title=f"{template.title.format(**names)[:180]} {i}",
                summary=template.summary.format(**names)[:500],
                description=template.description.format(**names),
                leika_key=template.leika_key,
            )
        )
    Measure.objects.bulk_create(rows, batch_size=500)
    lookups = Lookups()
    exported = build_export(Measure.objects.all(), lookups=lookups)
    for row in exported.measures:  # new measures: no ID, no version
        row["id"] = row["version"] = ""
    exported.partners = []
    raw_csv = write_csv(exported.measure_columns, exported.measures).encode("utf-8")
    raw_xlsx = write_xlsx(exported, lookups)
    Measure.objects.all().delete()
    return raw_csv, raw_xlsx


def register_file(count):
    from municipalities.models import Municipality
    from procedures import transfer
    from procedures.models import Category

    bodies = list(Municipality.objects.order_by("tree_path"))
    categories = list(Category.objects.all())
    rows = []
    for i in range(count):
        row = dict.fromkeys(transfer.COLUMNS, "")
        row.update(
            {
                "ARS": bodies[i % len(bodies)].ars,
                "Kategorie": categories[i % len(categories)].name,
                "Produkt": f"Verfahren {i}",
                "Hersteller": "Beispiel GmbH",
                "Betrieb": "eigener Betrieb vor Ort",
                "Jahreskosten (EUR)": "1.234,50",
                "Vertragsende": "2028-12-31",
            }
        )
        rows.append([row[c] for c in transfer.COLUMNS])
    return transfer.tabular.write_csv(transfer.COLUMNS, rows)


class Timer:
    """CPU seconds of this process and SQL queries of a block."""

    def __init__(self, profile=False):
        self.profile = profile

    def __call__(self, fn):
        from django.db import connection, reset_queries

        reset_queries()
        gc.collect()  # not the garbage of the step before (thousands of forms) in this one
        profiler = cProfile.Profile() if self.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        result = fn()
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        return (
            result,
            time.process_time() - cpu,
            time.perf_counter() - wall,
            len(connection.queries),  # Django keeps at most 9,000
        )


def floor_csv(raw):
    return sum(1 for _ in csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def floor_xlsx(raw):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(raw), read_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def bench_measures(name, raw, user, timer):
    from django.db import transaction

    from measures.exchange.importer import apply_import, plan_import, read_files

    floor = floor_xlsx if name.endswith(".xlsx") else floor_csv
    _, floor_cpu, _, _ = timer(lambda: floor(raw))
    (tables, parse_cpu, _, _) = timer(lambda: read_files(name, raw))
    measures, partners, _ = tables
    plan, check_cpu, check_wall, check_sql = timer(lambda: plan_import(measures, partners, user))
    assert not plan.errors, [str(e) for e in plan.errors[:5]]
    sid = transaction.savepoint() if transaction.get_connection().in_atomic_block else None
    applied, apply_cpu, apply_wall, apply_sql = timer(
        lambda: apply_import(*read_files(name, raw)[:2], user)
    )
    assert applied.applied and applied.created == len(measures.rows), applied.errors[:3]
    if sid:
        transaction.savepoint_rollback(sid)
    from measures.models import Measure

    Measure.objects.all().delete()
    return {
        "file": f"Maßnahmen {name.rsplit('.', 1)[1].upper()}",
        "rows": len(measures.rows),
        "kb": len(raw) // 1024,
        "floor": floor_cpu,
        "parse": parse_cpu,
        "check": check_cpu,
        "check_sql": check_sql,
        "apply": apply_cpu,
        "apply_wall": apply_wall,
        "apply_sql": apply_sql,
    }


def bench_register(raw, timer):
    from procedures import transfer
    from procedures.models import ProcedureEntry

    _, floor_cpu, _, _ = timer(lambda: floor_csv(raw))
    parsed, parse_cpu, _, parse_sql = timer(lambda: transfer.parse_file(raw, "register.csv"))
    result, apply_cpu, apply_wall, apply_sql = timer(
        lambda: transfer.import_bytes(raw, "register.csv")
    )
    assert result.created == len(parsed)
    ProcedureEntry.objects.all().delete()
    return {
        "file": "Register CSV",
        "rows": len(parsed),
        "kb": len(raw) // 1024,
        "floor": floor_cpu,
        "parse": parse_cpu,
        "check": 0.0,
        "check_sql": parse_sql,
        "apply": apply_cpu,
        "apply_wall": apply_wall,
        "apply_sql": apply_sql,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--profile", action="store_true", help="cProfile to stderr")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    django_setup(work / "bench.sqlite3")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = True  # count queries
    call_command("migrate", verbosity=0)
    call_command("import_municipalities", str(GV_CSV), seats=str(SEATS_CSV), verbosity=0)
    user = coordinator()
    raw_csv, raw_xlsx = measures_files(args.rows)
    timer = Timer(args.profile)
    results = [
        bench_measures("massnahmen.csv", raw_csv, user, timer),
        bench_measures("massnahmen.xlsx", raw_xlsx, user, timer),
        bench_register(register_file(args.rows), timer),
    ]
    print(f"Import-Benchmark ({os.cpu_count()} CPU(s), {connection.vendor}, {work})\n")
    print(
        "| Datei | Zeilen | KB | nur csv/openpyxl (s) | Einlesen (s) | Prüfen (s) "
        "| Einlesen + Prüfen (s) | SQL Prüfen | Übernehmen (s CPU / s Uhr) | SQL Übernehmen |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['file']} | {r['rows']} | {r['kb']} | {r['floor']:.2f} | {r['parse']:.2f} "
            f"| {r['check']:.2f} | {r['parse'] + r['check']:.2f} | {r['check_sql']} "
            f"| {r['apply']:.2f} / {r['apply_wall']:.2f} | {r['apply_sql']} |"
        )
    worst = max(r["parse"] + r["check"] for r in results)
    verdict = "erreicht" if worst < TARGET_SECONDS else "VERFEHLT"
    print(f"\nZiel: Einlesen + Prüfen von {args.rows} Zeilen < {TARGET_SECONDS} s CPU – {verdict}.")


if __name__ == "__main__":
    main()
