"""Load benchmark: every main page for every role under 8 concurrent connections (issue 13).

Usage:
    .venv/bin/python bench/load_bench.py [--sizes 150,1500,6000] [--duration 3]
        [--connections 8] [--workers 3] [--database portal_load_bench] [--redis-db 9]

What it does, for each size (the data grows from one size to the next):
- builds the district (31 bodies), N measures (all states, partnerships, published and accepted
  versions, review threads), two indicators for most active measures with 5-8 values each and
  assessments, by bulk creation in a dedicated PostgreSQL database (dropped and created anew;
  never a test database);
- starts gunicorn (sync workers) with the production settings: DEBUG off, a random strong
  SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, HTTPS as behind the proxy (X-Forwarded-Proto);
- drives each page for each role with wrk (Debian package ``wrk``; loopback only, bounded
  in time) and reads the CPU time the gunicorn processes spent (``/proc``);
- prints p50, p95, requests per second and CPU per request beside two references served by
  the same process: ``/healthz`` (a bare view) and the measure list (the list reference).

Nothing is asserted; bench/README.md records the results.
"""

import argparse
import datetime
import itertools
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LUA = Path(__file__).with_name("wrk_report.lua")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="150,1500,6000")
    parser.add_argument("--duration", type=int, default=3, help="seconds per page and role")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database", default="portal_load_bench")
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--json", default="", help="also write the results to this file")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles")
    parser.add_argument("--pages", default="", help="only pages whose label contains this")
    return parser.parse_args()


def configure(args):
    """The environment of the production settings, for gunicorn and for this process."""
    env = {
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "LOG_LEVEL": "WARNING",
        # The API's rate limits would answer most of wrk's requests with 429: lifted here.
        "API_RATE_ANONYMOUS": "1000000/min",
        "API_RATE_TOKEN": "1000000/min",
        "API_RATE_USER": "1000000/min",
        # Static files collected once into a throw-away directory (the manifest storage).
        "STATIC_ROOT": os.path.join(tempfile.gettempdir(), "load_bench_static"),
        "SECURITY_LOG_FILE": os.path.join(tempfile.gettempdir(), "load_bench_security.log"),
    }
    os.environ.update(env)
    return env


def recreate_database(name):
    import psycopg

    assert "test" not in name, "the bench never touches a test database"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def setup_district():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from municipalities.models import Membership, Municipality, MunicipalityKind, Role

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command(
        "import_municipalities",
        "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv",
        verbosity=0,
    )
    district = Municipality.objects.get(kind=MunicipalityKind.DISTRICT)
    samtgemeinde = (
        Municipality.objects.filter(kind=MunicipalityKind.SAMTGEMEINDE).order_by("pk").first()
    )
    member = Municipality.objects.filter(parent=samtgemeinde).order_by("pk").first()
    users = {}
    User = get_user_model()
    for role, body, membership_role in (
        ("coordinator", district, Role.COORDINATOR),
        ("council", district, Role.COUNCIL),
        ("sg_editor", samtgemeinde, Role.EDITOR),
        ("editor", member, Role.EDITOR),
    ):
        user = User.objects.create_user(f"bench-{role}", password=secrets.token_urlsafe(20))
        Membership.objects.create(user=user, municipality=body, role=membership_role)
        users[role] = user
    return users, district, samtgemeinde, member


def grow(target):
    """Add measures (and their indicators, values, threads) until there are ``target``."""
    from django.utils import timezone

    from evaluation.models import Assessment, Indicator, Measurement, Origin, Verdict
    from evaluation.stored_status import refresh_stored_status
    from fields_of_action.models import FieldOfAction
    from measures.models import Measure, Partnership, ReviewComment, ReviewState, Status
    from measures.publication import write_public_versions
    from measures.review import measure_snapshot
    from municipalities.models import Municipality

    start = Measure.objects.count()
    if start >= target:
        return
    bodies = list(Municipality.objects.exclude(kind="district").order_by("pk"))
    fields = list(FieldOfAction.objects.order_by("number"))
    statuses = list(Status)
    states = [ReviewState.ACCEPTED] * 6 + [
        ReviewState.SUBMITTED,
        ReviewState.SUBMITTED,
        ReviewState.CHANGES_REQUESTED,
        ReviewState.DRAFT,
    ]
    now = timezone.now()
    text = "Die Maßnahme digitalisiert einen Verwaltungsvorgang von Anfang bis Ende. " * 12
    measures = Measure.objects.bulk_create(
        [
            Measure(
                lead_municipality=bodies[i % len(bodies)],
                field_of_action=fields[i % len(fields)],
                status=statuses[i % len(statuses)],
                review_state=states[i % len(states)],
                title=f"Digitale Maßnahme {i:05d}",
                summary="Online-Antrag, Bearbeitung und Bescheid ohne Medienbruch.",
                description=text,
                planned_start=datetime.date(2026, 1 + i % 12, 1),
                planned_end=datetime.date(2028, 1 + i % 12, 1),
                budget_planned=Decimal(10_000 + i),
            )
            for i in range(start, target)
        ],
        batch_size=1000,
    )
    Partnership.objects.bulk_create(
        [
            Partnership(measure=m, municipality=bodies[(i + 5) % len(bodies)])
            for i, m in enumerate(measures, start)
            if i % 3 == 0
        ],
        batch_size=1000,
    )
    ids = [m.pk for m in measures]
    # Accepted and published versions (the published one of the last draft laid before the
    # Kreistag) for the accepted measures, in chunks.
    for offset in range(0, len(ids), 500):
        chunk = Measure.objects.with_related().filter(
            pk__in=ids[offset : offset + 500], review_state=ReviewState.ACCEPTED
        )
        snapshots = {m.pk: measure_snapshot(m) for m in chunk}
        Measure.objects.filter(pk__in=list(snapshots)).update(accepted_at=now)
        for pk, snapshot in snapshots.items():
            Measure.objects.filter(pk=pk).update(accepted_snapshot=snapshot)
        write_public_versions(snapshots, now)
    ReviewComment.objects.bulk_create(
        [
            ReviewComment(measure=m, text=f"Hinweis {n} zur Maßnahme {m.pk}: bitte prüfen.")
            for m in measures
            if m.review_state in (ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED)
            for n in range(4)
        ],
        batch_size=2000,
    )
    active = [
        m
        for i, m in enumerate(measures, start)
        if m.status in (Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED) and i % 5
    ]
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                measure=m,
                name=f"Anteil online ({n})",
                unit="%",
                direction="increase" if n == 0 else "decrease",
                baseline_value=Decimal(10) if n == 0 else Decimal(40),
                baseline_date=datetime.date(2021, 1, 1),
                target_value=Decimal(60) if n == 0 else Decimal(10),
                target_date=datetime.date(2029, 12, 31),
                frequency="yearly" if n == 0 else "quarterly",
            )
            for m in active
            for n in range(2)
        ],
        batch_size=2000,
    )
    values = []
    for i, indicator in enumerate(indicators):
        if indicator.frequency == "yearly":
            periods = [datetime.date(year, 1, 1) for year in range(2021, 2021 + 3 + i % 3)]
        else:
            periods = [datetime.date(2024 + q // 4, 1 + 3 * (q % 4), 1) for q in range(8 - i % 4)]
        for k, period in enumerate(periods):
            value = Decimal(10 + k * (3 + i % 7)) if indicator.direction == "increase" else None
            if value is None:
                value = Decimal(max(40 - k * (1 + i % 5), 5))
            values.append(
                Measurement(indicator=indicator, period=period, value=value, origin=Origin.MANUAL)
            )
    Measurement.objects.bulk_create(values, batch_size=5000)
    refresh_stored_status(Indicator.objects.filter(pk__in=[i.pk for i in indicators]))
    Assessment.objects.bulk_create(
        [
            Assessment(
                measure=m,
                verdict=Verdict.PARTLY,
                justification="Die Zahlen steigen, aber langsamer als geplant.",
                assessed_on=datetime.date(2025, 1 + i % 12, 1),
            )
            for i, m in enumerate(measures)
            if m.status == Status.IN_PROGRESS and i % 2
        ],
        batch_size=2000,
    )


# ---------------------------------------------------------------------------------------------
# Server and load
# ---------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port, workers, log):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "strategy_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body = fetch(port, "/healthz", None)
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def process_tree_ticks(pid):
    """CPU clock ticks (user + system) of gunicorn's master and its workers."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    ticks = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            continue
    return ticks, pids


HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(port, path, cookie):
    headers = dict(HEADERS)
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_wrk(port, path, cookie, duration, connections, master_pid):
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        "-H",
        "X-Forwarded-Proto: https",
    ]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    before, _ = process_tree_ticks(master_pid)
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    after, _ = process_tree_ticks(master_pid)
    line = [x for x in output.stdout.splitlines() if x.startswith("JSON ")]
    if not line:
        raise RuntimeError(f"wrk gave no result: {output.stdout} {output.stderr}")
    result = json.loads(line[-1][5:])
    requests = max(result["requests"], 1)
    result["cpu_ms"] = (after - before) * 1000 / CLOCK_TICKS / requests
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def in_process(path, role, users, repeat=5, cold=False):
    """Median wall and CPU milliseconds of the page rendered in this process (no load).

    ``cold``: every request right after a change of the data (core.data_version
    moved on), so cached figures are computed afresh, as after each entry of a value.
    """
    import statistics

    from django.test import Client

    from core import data_version

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if role != "anonymous":
        client.force_login(users[role])
    client.get(path)  # warm up
    walls, cpus = [], []
    for _ in range(repeat):
        if cold:
            data_version.changed()
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def sessions(users):
    """A logged-in session per role (created in this process, same database and key)."""
    from django.test import Client

    cookies = {"anonymous": None}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies["sessionid"].value
    return cookies


def pages(district, samtgemeinde, member):
    from fields_of_action.models import FieldOfAction
    from measures.models import Measure

    detail = Measure.objects.filter(public_since__isnull=False).order_by("pk").first()
    field = FieldOfAction.objects.order_by("number").first()
    return [
        ("Referenz: /healthz (nackte View)", "/healthz", None),
        ("Referenz: Maßnahmenliste", "/massnahmen/", None),
        ("Startseite", "/", None),
        ("Maßnahme (Detail)", f"/massnahmen/{detail.pk}/", None),
        ("Übersicht Landkreis", f"/massnahmen/kommune/{district.slug}/", None),
        ("Übersicht Samtgemeinde", f"/massnahmen/kommune/{samtgemeinde.slug}/", None),
        ("Prüfung (Warteschlange)", "/massnahmen/pruefung/", {"coordinator"}),
        ("Evaluierung Landkreis", "/evaluierung/", None),
        ("Evaluierung Samtgemeinde", f"/evaluierung/kommune/{samtgemeinde.slug}/", None),
        (
            "Handlungsbedarf: ohne aktuellen Wert",
            "/evaluierung/handlungsbedarf/ohne-aktuellen-wert/",
            None,
        ),
        ("CSV-Export der Messwerte", "/evaluierung/messwerte/export.csv", None),
        ("Kommunen", "/kommunen/", None),
        ("Handlungsfeld", f"/handlungsfelder/{field.slug}/", None),
        ("Anfragen zur Beteiligung", "/massnahmen/beteiligung/anfragen/", {"editor", "sg_editor"}),
        ("API: Maßnahmen", "/api/v1/measures/", None),
        ("Offene Daten: DCAT-Katalog", "/opendata/catalog.ttl", None),
    ]


ROLES = ["anonymous", "editor", "sg_editor", "coordinator", "council"]


def bench_size(args, env, size, users, bodies, results):
    from django.db import connections

    grow(size)
    connections.close_all()
    cookies = sessions(users)
    port = args.port or free_port()
    with open(os.path.join(tempfile.gettempdir(), f"load_bench_gunicorn_{size}.log"), "w") as log:
        server = start_gunicorn(env, port, args.workers, log)
        try:
            for label, path, only in pages(*bodies):
                if args.pages and args.pages not in label and "Referenz" not in label:
                    continue
                for role in args.roles.split(","):
                    if only and role not in only:
                        continue
                    if path == "/healthz" and role != "anonymous":
                        continue
                    status, body = fetch(port, path, cookies[role])
                    row = {"size": size, "page": label, "role": role, "status": status}
                    row["kb"] = round(len(body) / 1024)
                    row["inproc_ms"], row["inproc_cpu_ms"] = in_process(path, role, users)
                    row["cold_ms"], row["cold_cpu_ms"] = in_process(path, role, users, cold=True)
                    row.update(
                        run_wrk(
                            port, path, cookies[role], args.duration, args.connections, server.pid
                        )
                    )
                    results.append(row)
                    print(
                        f"{size:>5} {label[:40]:<40} {role:<11} {status} {row['kb']:>4} KB "
                        f"{row['rps']:6.1f}/s p50 {row['p50_ms']:7.1f} p95 {row['p95_ms']:7.1f} "
                        f"CPU {row['cpu_ms']:6.1f} ms",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)


def markdown(results):
    lines = []
    sizes = sorted({r["size"] for r in results})
    for size in sizes:
        rows = [r for r in results if r["size"] == size]
        lists = {r["role"]: r for r in rows if r["page"] == "Referenz: Maßnahmenliste"}
        lines += [
            "",
            f"### {size} Maßnahmen",
            "",
            "| Seite | Rolle | HTTP | Fehler | KB | ohne Last ms (CPU) | kalt ms (CPU) "
            "| Anfragen/s | p50 ms | p95 ms | CPU ms/Anfrage | CPU × Liste | p50 × Liste "
            "| ohne Last × Liste | kalt × Liste |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
            "| ---: | ---: | ---: |",
        ]
        for r in rows:
            ref = lists.get(r["role"]) or lists.get("anonymous")
            cpu_x = r["cpu_ms"] / ref["cpu_ms"] if ref and ref["cpu_ms"] else 0
            p50_x = r["p50_ms"] / ref["p50_ms"] if ref and ref["p50_ms"] else 0
            inproc_x = r["inproc_ms"] / ref["inproc_ms"] if ref and ref["inproc_ms"] else 0
            cold_x = r["cold_ms"] / ref["cold_ms"] if ref and ref["cold_ms"] else 0
            lines.append(
                f"| {r['page']} | {r['role']} | {r['status']} | {r['errors']} | {r['kb']} "
                f"| {r['inproc_ms']:.0f} ({r['inproc_cpu_ms']:.0f}) "
                f"| {r['cold_ms']:.0f} ({r['cold_cpu_ms']:.0f}) | {r['rps']:.1f} "
                f"| {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['cpu_ms']:.1f} "
                f"| {cpu_x:.2f} | {p50_x:.2f} | {inproc_x:.2f} | {cold_x:.2f} |"
            )
    if len(sizes) > 1:
        lines += [
            "",
            "### Wachstum der CPU-Zeit je Anfrage",
            "",
            "| Seite | Rolle | "
            + " | ".join(f"{s}" for s in sizes)
            + " | "
            + " | ".join(f"{b}/{a}" for a, b in itertools.pairwise(sizes))
            + " |",
            "| --- | --- | "
            + " | ".join("---:" for _ in sizes)
            + " | "
            + " | ".join("---:" for _ in sizes[1:])
            + " |",
        ]
        keys = []
        for r in results:
            if (r["page"], r["role"]) not in keys:
                keys.append((r["page"], r["role"]))
        for page, role in keys:
            cpu = {
                r["size"]: r["cpu_ms"] for r in results if (r["page"], r["role"]) == (page, role)
            }
            cells = [f"{cpu[s]:.1f}" if s in cpu else "–" for s in sizes]
            growth = [
                f"{cpu[b] / cpu[a]:.2f}" if a in cpu and b in cpu and cpu[a] else "–"
                for a, b in itertools.pairwise(sizes)
            ]
            lines.append(f"| {page} | {role} | " + " | ".join(cells + growth) + " |")
    return "\n".join(lines)


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    env = configure(args)
    recreate_database(args.database)
    import django

    django.setup()
    started = time.monotonic()
    users, *bodies = setup_district()
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        t0 = time.monotonic()
        bench_size(args, env, size, users, bodies, results)
        print(f"# {size} measures done in {time.monotonic() - t0:.0f} s", flush=True)
    print(
        f"# {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"{args.workers} gunicorn workers, {args.connections} connections, "
        f"{args.duration} s per page and role, total {time.monotonic() - started:.0f} s"
    )
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
