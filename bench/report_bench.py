"""Benchmark: the Sachstandsbericht of a large district with two years of status changes.

Builds a throw-away SQLite database (the real 31 bodies, N measures as in draft_bench.py),
gives every measure two years of status changes (2025 and 2026), a Sachstand for most active
measures and two indicators with values, and publishes every measure (the report lists only
published ones), then, each phase in a fresh process so that peak memory belongs to it:

1. ``report``: freeze the report for 2026 (snapshot) and render its PDF/UA-1;
2. ``status``: the SQL queries of "status as of a day" for four quarter ends, for the first
   150 measures and for all of them (the number must not grow).

    /work/main/.venv/bin/python bench/report_bench.py [--measures 1500]

Targets: >= 10 pages/s, < 1 GB peak, the same number of queries at 150 and at N measures.
No timing assertions live in the test suite; this script is for humans and CI logs.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draft_bench  # noqa: E402 - the district and measures of the draft bench

TARGET_PAGES_PER_SECOND = 10
TARGET_PEAK_MB = 1024


def phase_setup(args):
    import datetime
    from decimal import Decimal
    from random import Random

    from evaluation.models import Indicator, IndicatorStatusChange, Measurement, ProgressNote
    from measures.models import Measure, MeasureStatusChange, Status

    result = draft_bench.phase_setup(args)
    rng = Random(20261231)
    path = [Status.IDEA, Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED]
    changes, notes, indicators = [], [], []
    tz = datetime.UTC
    for measure in Measure.objects.only("pk", "status"):
        # Two years: a step along the path every few months, ending at the current status.
        steps = path[: path.index(measure.status) + 1] if measure.status in path else path[:1]
        day = datetime.datetime(2025, 1, 15, 9, tzinfo=tz)
        before = ""
        for status in steps:
            changes.append(
                MeasureStatusChange(
                    measure_id=measure.pk, changed_at=day, old_status=before, new_status=status
                )
            )
            before = status
            day += datetime.timedelta(days=rng.randrange(60, 200))
        if measure.status in (Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED):
            if rng.random() < 0.8:
                notes.append(
                    ProgressNote(
                        measure_id=measure.pk,
                        noted_on=datetime.date(2026, rng.randrange(1, 13), 15),
                        status=measure.status,
                        percent_done=rng.randrange(0, 101),
                        text=draft_bench.sentence(rng, rng.randrange(20, 60)),
                    )
                )
            for n in range(2):
                indicators.append(
                    Indicator(
                        measure_id=measure.pk,
                        name=f"Kennzahl {n + 1} zu {measure.pk}",
                        unit="%",
                        kind="effect",
                        direction="increase",
                        baseline_value=Decimal(10),
                        baseline_date=datetime.date(2025, 1, 1),
                        target_value=Decimal(80),
                        target_date=datetime.date(2028, 12, 31),
                        frequency="quarterly",
                        source_kind="manual",
                    )
                )
    MeasureStatusChange.objects.bulk_create(changes, batch_size=2000)
    ProgressNote.objects.bulk_create(notes, batch_size=2000)
    Indicator.objects.bulk_create(indicators, batch_size=2000)
    values, indicator_changes = [], []
    statuses = ["on_track", "at_risk", "off_track", "stale"]
    for indicator in Indicator.objects.only("pk"):
        for quarter in range(8):
            values.append(
                Measurement(
                    indicator_id=indicator.pk,
                    period=datetime.date(2025 + quarter // 4, 1 + 3 * (quarter % 4), 1),
                    value=Decimal(10 + 5 * quarter + rng.randrange(0, 5)),
                    origin="manual",
                )
            )
        before = ""
        for quarter in range(0, 8, 2):
            status = rng.choice(statuses)
            indicator_changes.append(
                IndicatorStatusChange(
                    indicator_id=indicator.pk,
                    changed_on=datetime.date(2025 + quarter // 4, 1 + 3 * (quarter % 4), 20),
                    old_status=before,
                    new_status=status,
                )
            )
            before = status
    Measurement.objects.bulk_create(values, batch_size=2000)
    IndicatorStatusChange.objects.bulk_create(indicator_changes, batch_size=2000)
    from evaluation.stored_status import refresh_stored_status

    refresh_stored_status()
    # Laid before the Kreistag: the report lists published measures by their published
    # version (with their indicators' published texts) and sums the published cost plans.
    from measures.publication import write_public_versions
    from measures.review import review_snapshot

    ids = list(Measure.objects.order_by("pk").values_list("pk", flat=True))
    published_at = datetime.datetime(2026, 1, 2, 9, tzinfo=tz)
    for offset in range(0, len(ids), 500):
        chunk = Measure.objects.with_related().filter(pk__in=ids[offset : offset + 500])
        write_public_versions({m.pk: review_snapshot(m) for m in chunk}, published_at)
    result.update(
        {
            "published": len(ids),
            "status_changes": len(changes),
            "notes": len(notes),
            "indicators": len(indicators),
            "values": len(values),
        }
    )
    return result


def phase_report(args):
    import datetime
    import resource

    from evaluation import report

    started = time.perf_counter()
    built = report.build(
        "Sachstandsbericht 2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    )
    frozen = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    built = report.render(built)
    after = resource.getrusage(resource.RUSAGE_SELF)
    done = time.perf_counter()
    return {
        "freeze_seconds": frozen - started,
        "seconds": done - frozen,
        # CPU time: on a machine shared with other work the wall time says more about the load.
        "cpu_seconds": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "load": os.getloadavg()[0],
        "pages": built.pdf_pages,
        "listed": len(built.snapshot["measures"]),
        "unlisted": built.snapshot["unlisted"],
        "peak_mb": draft_bench.peak_mb(),
        "path": built.pdf.path,
    }


def phase_status(args):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluation import status_history
    from evaluation.models import Indicator
    from measures import status_changes
    from measures.models import Measure

    days = [
        datetime.date(2025, 6, 30),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 6, 30),
        datetime.date(2026, 12, 31),
    ]
    moments = [datetime.datetime.combine(d, datetime.time.max, tzinfo=datetime.UTC) for d in days]
    out = {}
    for label, measures in (
        (
            "150",
            Measure.objects.filter(
                pk__in=list(Measure.objects.order_by("pk").values_list("pk", flat=True)[:150])
            ),
        ),
        ("all", Measure.objects.all()),
    ):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status_changes.status_counts_as_of(measures, moments)
            status_history.status_counts_as_of(Indicator.objects.filter(measure__in=measures), days)
            seconds = time.perf_counter() - started
        out[label] = {"queries": len(queries), "seconds": seconds}
    return out


PHASES = {"setup": phase_setup, "report": phase_report, "status": phase_status}


def run_phase(name, workdir, args):
    command = [sys.executable, __file__, "--phase", name, "--workdir", str(workdir)]
    command += ["--measures", str(args.measures)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"Phase {name} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=1500)
    parser.add_argument("--phase", choices=PHASES)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    if args.phase:
        workdir = Path(args.workdir)
        draft_bench.django_setup(workdir / "bench.sqlite3", workdir / "media")
        print(json.dumps(PHASES[args.phase](args)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="report-bench-"))
    setup = run_phase("setup", workdir, args)
    rendered = run_phase("report", workdir, args)
    status = run_phase("status", workdir, args)
    rate = rendered["pages"] / rendered["seconds"]
    cpu_rate = rendered["pages"] / rendered["cpu_seconds"]
    print(
        f"{setup['measures']} Maßnahmen, {setup['status_changes']} Statusänderungen, "
        f"{setup['notes']} Sachstände, {setup['indicators']} Indikatoren, {setup['values']} "
        f"Werte; {setup['published']} veröffentlicht, im Bericht {rendered['listed']} "
        f"genannt, {rendered['unlisted']} nur gezählt; {os.cpu_count()} CPU(s)"
    )
    print()
    print(f"Last (load average, 1 min) beim Rendern: {rendered['load']:.1f}")
    print()
    print("| Lauf | Zeit (s) | CPU (s) | Seiten | Seiten/s | Seiten/CPU-s | Spitze RSS (MB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| Einfrieren (Snapshot) | {rendered['freeze_seconds']:.2f} | | | | | |")
    print(
        f"| PDF/UA-1 | {rendered['seconds']:.2f} | {rendered['cpu_seconds']:.2f} | "
        f"{rendered['pages']} | {rate:.1f} | {cpu_rate:.1f} | {rendered['peak_mb']:.0f} |"
    )
    print()
    print("| Maßnahmen | SQL-Abfragen (4 Stichtage, Maßnahmen und Indikatoren) | Zeit (s) |")
    print("| --- | ---: | ---: |")
    for label, row in status.items():
        print(f"| {label} | {row['queries']} | {row['seconds']:.3f} |")
    print()
    checks = [
        (
            f"{rate:.1f} Seiten/s (Ziel >= {TARGET_PAGES_PER_SECOND})",
            rate >= TARGET_PAGES_PER_SECOND,
        ),
        (
            f"Spitze {rendered['peak_mb']:.0f} MB (Ziel < {TARGET_PEAK_MB})",
            rendered["peak_mb"] < TARGET_PEAK_MB,
        ),
        (
            "gleich viele Abfragen bei 150 und allen Maßnahmen",
            status["150"]["queries"] == status["all"]["queries"],
        ),
    ]
    for text, ok in checks:
        print(f"- {'erfüllt' if ok else 'VERFEHLT'}: {text}")
    print(f"\nPDF: {rendered['path']}")


if __name__ == "__main__":
    main()
