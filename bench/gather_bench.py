"""Benchmark: gather N indicators from a local HTTP server serving CSV and JSON files.

Reports indicators per second and SQL statements per indicator, for a first run (all values
new) and a second run (nothing changed: the idempotent path). Runs in a throwaway test
database (SQLite in memory by default; PostgreSQL with DATABASE_URL set).

    .venv/bin/python bench/gather_bench.py --count 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/gather_bench.py

No timing is asserted anywhere; this is a measuring tool.
"""

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

YEARS = list(range(2019, 2031))


class Handler(BaseHTTPRequestHandler):
    """/csv/<n> and /json/<n>: ``values`` yearly values; ``?v=2`` changes the last one."""

    values = 5

    def do_GET(self):  # noqa: N802 - http.server API
        path, _, query = self.path.partition("?")
        kind, _, number = path.strip("/").partition("/")
        n = int(number or 0)
        bump = 1 if query == "v=2" else 0
        rows = [
            (YEARS[i], n % 100 + i + (bump if i == self.values - 1 else 0))
            for i in range(self.values)
        ]
        if kind == "csv":
            body = "period,value\n" + "".join(f"{y},{v}\n" for y, v in rows)
            content_type = "text/csv"
        else:
            body = json.dumps({"data": [{"period": str(y), "value": v} for y, v in rows]})
            content_type = "application/json"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def populate(count, base_url):
    from evaluation.models import Indicator
    from fields_of_action.models import FieldOfAction
    from measures.models import Measure
    from municipalities.models import Municipality, MunicipalityKind

    town = Municipality.objects.create(
        name="Hitzacker (Elbe)",
        official_name="Hitzacker (Elbe), Stadt",
        slug="hitzacker-elbe",
        kind=MunicipalityKind.TOWN,
        ags="03354009",
        ars="033545406009",
    )
    measure = Measure.objects.create(
        lead_municipality=town,
        field_of_action=FieldOfAction.objects.order_by("number").first(),
        title="Benchmark",
        summary="Benchmark",
        status="in_progress",
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                measure=measure,
                name=f"Indikator {n}",
                unit="%",
                target_value=100,
                target_date="2030-12-31",
                source_kind="csv_url" if n % 2 else "json_url",
                source_url=f"{base_url}/{'csv' if n % 2 else 'json'}/{n}",
                source_options={} if n % 2 else {"path": "data"},
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def run_pass(label, suffix=""):
    from evaluation.gathering import gather, indicators_for_gathering, start_run
    from evaluation.models import Indicator, RunTrigger

    indicators = list(indicators_for_gathering().automatic().order_by("pk"))
    if suffix:
        for indicator in indicators:
            indicator.source_url += suffix
        Indicator.objects.bulk_update(indicators, ["source_url"], batch_size=1000)
    run = start_run([i.pk for i in indicators], RunTrigger.COMMAND)
    counter = StatementCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        for indicator in indicators:
            gather(indicator, run.pk)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    return {
        "label": label,
        "indicators": len(indicators),
        "ok": run.indicators_ok,
        "created": run.values_created,
        "updated": run.values_updated,
        "seconds": seconds,
        "per_second": len(indicators) / seconds if seconds else 0,
        "statements": counter.count,
        "per_indicator": counter.count / len(indicators) if indicators else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--values", type=int, default=5, help="values per indicator (max 12)")
    args = parser.parse_args()
    Handler.values = max(1, min(args.values, len(YEARS)))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        populate(args.count, base_url)
        results = [
            run_pass("1. Abruf (alle Werte neu)"),
            run_pass("2. Abruf (unverändert)"),
            run_pass("3. Abruf (je 1 Wert geändert)", suffix="?v=2"),
        ]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        server.shutdown()

    print(
        f"\nDatenbank: {connection.vendor}, {args.count} Indikatoren "
        f"(CSV und JSON im Wechsel), {Handler.values} Werte je Indikator, ein Prozess.\n"
    )
    header = (
        "| Lauf | Indikatoren | erfolgreich | neu | geändert | Sekunden | Indikatoren/s "
        "| SQL-Anweisungen | SQL je Indikator |"
    )
    print(header)
    print("|" + "---|" * 9)
    for r in results:
        print(
            f"| {r['label']} | {r['indicators']} | {r['ok']} | {r['created']} | {r['updated']} "
            f"| {r['seconds']:.1f} | {r['per_second']:.0f} | {r['statements']} "
            f"| {r['per_indicator']:.1f} |"
        )


if __name__ == "__main__":
    main()
