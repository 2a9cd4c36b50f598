"""Benchmark: gather N indicators from a local HTTP server serving CSV and JSON files.

Reports indicators per second and SQL statements per indicator, for a first run (all values
new), a second run (nothing changed: the idempotent path) and a third (one value changed per
indicator). Runs in a throwaway test database (SQLite in memory by default; PostgreSQL with
DATABASE_URL set).

    .venv/bin/python bench/gather_bench.py --count 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/gather_bench.py

With ``--worker N`` the same three runs go through a real Celery worker instead (PostgreSQL
only): the bench starts ``celery -A strategy_portal worker`` (prefork, N processes, the
production options) on the committed test database, with Redis as broker and cache, queues
each run as the coordinator's "gather all" does (``dispatch_gathering``: one task per
indicator on commit) and polls the run until it is finished. The time is wall time from
dispatch to the finished run; the worker is stopped at the end in every case.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/gather_bench.py --worker 2 --count 3000

``--redis-url`` (default redis://127.0.0.1:6379/13) must name a Redis database of the bench's
own: it is emptied before and after the worker runs.

No timing is asserted anywhere; this is a measuring tool.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings.test")

from django.db import connection  # noqa: E402

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


def set_suffix(suffix):
    """Append ``suffix`` to every automatic indicator's URL (``?v=2``: one value changes)."""
    from evaluation.models import Indicator

    indicators = list(Indicator.objects.automatic().order_by("pk"))
    for indicator in indicators:
        indicator.source_url += suffix
    Indicator.objects.bulk_update(indicators, ["source_url"], batch_size=1000)


def worker_database_url(test_name):
    """DATABASE_URL with the database name replaced by the test database's."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + test_name))


def start_worker(concurrency, database_url, redis_url, log_path):
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="strategy_portal.settings.test",
        # As in production (settings.production): a task reuses its process's connection.
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"),
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "strategy_portal",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        # The options of the worker service in docker-compose.yml.
        "--max-memory-per-child=400000",
        "--max-tasks-per-child=200",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
        f"--hostname=gatherbench-{os.getpid()}@%h",
    ]
    log = open(log_path, "wb")  # noqa: SIM115 - closed by stop_worker
    process = subprocess.Popen(  # noqa: S603 - fixed command line
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    process.log = log
    return process


def wait_for_worker(process, app, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The worker exited with code {process.returncode}.")
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError(f"The worker did not answer a ping within {timeout} s.")


def stop_worker(process):
    """Stop the worker and its pool processes (the whole process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        # Pool processes that outlived their parent.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.log.close()


def worker_pass(label, process, timeout, suffix=""):
    from django.db import transaction

    from evaluation.gathering import dispatch_gathering
    from evaluation.models import CollectionRun, Indicator, RunTrigger

    if suffix:
        set_suffix(suffix)
    started = time.perf_counter()
    # As the coordinator's "gather all" (evaluation.views.indicators.gather_now).
    with transaction.atomic():
        run = dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL)
    dispatched = time.perf_counter() - started
    deadline = started + timeout
    while not CollectionRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists():
        if process.poll() is not None:
            raise RuntimeError(f"The worker exited with code {process.returncode}.")
        if time.perf_counter() > deadline:
            run.refresh_from_db()
            raise RuntimeError(
                f"{label}: run {run.pk} not finished after {timeout} s "
                f"({run.indicators_ok} ok, {run.indicators_failed} failed "
                f"of {run.indicators_total})."
            )
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    return {
        "label": label,
        "indicators": run.indicators_total,
        "ok": run.indicators_ok,
        "failed": run.indicators_failed,
        "created": run.values_created,
        "updated": run.values_updated,
        "dispatch": dispatched,
        "seconds": seconds,
        "per_second": run.indicators_total / seconds if seconds else 0,
    }


def run_worker_passes(args, log_path):
    from django.conf import settings

    from strategy_portal.celery import app

    if connection.vendor != "postgresql":
        raise SystemExit("--worker needs PostgreSQL (DATABASE_URL=postgres://...).")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        raise SystemExit("--worker needs REDIS_URL (Celery must not run eagerly).")
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    process = start_worker(
        args.worker,
        worker_database_url(connection.settings_dict["NAME"]),
        args.redis_url,
        log_path,
    )
    try:
        wait_for_worker(process, app)
        timeout = args.timeout or max(120, args.count // 5)
        return [
            worker_pass("1. Abruf (alle Werte neu)", process, timeout),
            worker_pass("2. Abruf (unverändert)", process, timeout),
            worker_pass("3. Abruf (je 1 Wert geändert)", process, timeout, suffix="?v=2"),
        ]
    finally:
        stop_worker(process)
        redis.Redis.from_url(args.redis_url).flushdb()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--values", type=int, default=5, help="values per indicator (max 12)")
    parser.add_argument(
        "--worker",
        type=int,
        default=0,
        metavar="N",
        help="gather through a real Celery worker with N processes (PostgreSQL only)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="broker and cache for --worker; a database of the bench's own (emptied)",
    )
    parser.add_argument(
        "--timeout", type=int, default=0, help="seconds per run with --worker (default: count/5)"
    )
    return parser.parse_args()


def main():
    args = parse_args()
    if args.worker:
        # Before Django reads its settings: broker and cache in Redis, Celery not eager.
        os.environ["REDIS_URL"] = args.redis_url
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    Handler.values = max(1, min(args.values, len(YEARS)))

    # The worker fetches from this server too (the test settings allow 127.0.0.1).
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    log_path = Path(tempfile.gettempdir()) / f"gather_bench_worker_{os.getpid()}.log"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        populate(args.count, base_url)
        if args.worker:
            results = run_worker_passes(args, log_path)
        else:
            results = [
                run_pass("1. Abruf (alle Werte neu)"),
                run_pass("2. Abruf (unverändert)"),
                run_pass("3. Abruf (je 1 Wert geändert)", suffix="?v=2"),
            ]
    except BaseException:
        if args.worker and log_path.exists():
            print(f"Worker log: {log_path}", file=sys.stderr)
            print(log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        server.shutdown()

    if args.worker:
        print_worker_table(args, results)
    else:
        print_table(args, results)


def print_worker_table(args, results):
    print(
        f"\nDatenbank: {connection.vendor}, {args.count} Indikatoren "
        f"(CSV und JSON im Wechsel), {Handler.values} Werte je Indikator, "
        f"Celery-Worker (prefork, {args.worker} Prozesse), Redis {args.redis_url}.\n"
    )
    print(
        "| Lauf | Indikatoren | erfolgreich | fehlgeschlagen | neu | geändert "
        "| Einreihen s | Sekunden | Indikatoren/s |"
    )
    print("|" + "---|" * 9)
    for r in results:
        print(
            f"| {r['label']} | {r['indicators']} | {r['ok']} | {r['failed']} | {r['created']} "
            f"| {r['updated']} | {r['dispatch']:.1f} | {r['seconds']:.1f} "
            f"| {r['per_second']:.0f} |"
        )


def print_table(args, results):
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
