"""Benchmark: the four default Beschlussvorlagen of a large district (issue 20).

Builds a throw-away SQLite database (the real 31 bodies, N accepted measures as in
draft_bench.py, each with a cost plan of one to three budget years and, for a third, approved
funding), freezes a version and sets up its default deciding bodies: the Kreistag and the
three Samtgemeinderäte. Then, each phase in a fresh process so that peak memory belongs to it:

1. ``kreistag``: the render task of the version's PDF (the Kreistag's Vorlage, every measure);
2. ``body:<slug>``: one Samtgemeinde's Vorlage (drafts.body_document: snapshot → HTML → PDF/UA);
3. ``weasyprint:<name>``: WeasyPrint alone on the very same HTML with the same options and
   library configuration (draft_bench.phase_weasyprint), for each of the four.

    /work/main/.venv/bin/python bench/adoption_bench.py [--measures 1500]

Prints one table (time, CPU time, pages, pages/s, peak RSS for each Vorlage and for WeasyPrint
alone) and the targets of the issue: each Vorlage >= 10 pages/s and < 1 GB peak. The load
average during each render is printed too: the machine may be shared.
No timing assertions live in the test suite; this script is for humans and CI logs.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draft_bench  # noqa: E402 - the district and measures of the draft bench

TARGET_PAGES_PER_SECOND = 10
TARGET_PEAK_MB = 1024
SAMTGEMEINDEN = ("sg-gartow", "sg-luechow-wendland", "sg-elbtalaue")


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_setup(args):
    from decimal import Decimal
    from random import Random

    from measures.models import CostPlanYear, FundingEntry, FundingProgramme, Measure
    from measures.review import measure_snapshot

    result = draft_bench.phase_setup(args)
    rng = Random(20270310)
    programme = FundingProgramme.objects.order_by("pk").first()
    plans, funding = [], []
    for measure in Measure.objects.only("pk", "planned_start"):
        first = measure.planned_start.year if measure.planned_start else 2027
        for year in range(first, first + rng.randrange(1, 4)):
            plans.append(
                CostPlanYear(
                    measure_id=measure.pk,
                    year=year,
                    investment_planned=Decimal(rng.randrange(0, 200) * 500),
                    running_planned=Decimal(rng.randrange(1, 80) * 250),
                    follow_up_planned=Decimal(rng.randrange(0, 4) * 1000),
                )
            )
        if programme is not None and rng.random() < 0.33:
            funding.append(
                FundingEntry(
                    measure_id=measure.pk,
                    programme=programme,
                    year=first,
                    amount=Decimal(rng.randrange(1, 40) * 500),
                    state="approved",
                )
            )
    CostPlanYear.objects.bulk_create(plans, batch_size=1000)
    FundingEntry.objects.bulk_create(funding, batch_size=1000)
    accepted = []
    for m in Measure.objects.with_related().with_money():
        m.accepted_snapshot = measure_snapshot(m)
        accepted.append(m)
    Measure.objects.bulk_update(accepted, ["accepted_snapshot"], batch_size=500)
    return dict(result, cost_years=len(plans), funding=len(funding))


def _write(args, name, generator):
    html = args.workdir_path / f"{name}.html"
    html.write_text(generator.get_html(), encoding="utf-8")
    options = args.workdir_path / f"{name}.options.json"
    options.write_text(json.dumps(generator.get_pdf_options()), encoding="utf-8")


def phase_kreistag(args):
    """Freeze, set up the deciding bodies, render the version's PDF as the worker does."""
    from django.contrib.auth import get_user_model

    from drafts import adoption
    from drafts.models import StrategyDraft
    from drafts.pdf import DraftPDFGenerator

    measured = draft_bench.phase_portal(args)  # creates, freezes and renders the version
    draft = StrategyDraft.objects.get()
    adoption.set_up(draft, get_user_model().objects.get(username="koordination"))
    _write(args, "kreistag", DraftPDFGenerator(draft))
    return dict(measured, load=os.getloadavg()[0])


def phase_body(args):
    from pypdf import PdfReader

    from drafts.adoption_models import DecisionProcedure
    from drafts.body_document import BodyDocumentGenerator, render_body_document

    procedure = (
        DecisionProcedure.objects.select_related("municipality__parent", "draft")
        .prefetch_related("steps")
        .get(municipality__slug=args.body)
    )
    cpu, load = _cpu_seconds(), os.getloadavg()[0]
    started = time.perf_counter()
    data = render_body_document(procedure)  # what the background render stores
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    peak = draft_bench.peak_mb()
    pages = len(PdfReader(io.BytesIO(data)).pages)
    _write(args, args.body, BodyDocumentGenerator(procedure))
    return {
        "name": str(procedure.municipality),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "pages": pages,
        "bytes": len(data),
        "peak_mb": peak,
        "load": max(load, os.getloadavg()[0]),
    }


def phase_alone(args):
    cpu, load = _cpu_seconds(), os.getloadavg()[0]
    args.html = args.workdir_path / f"{args.body}.html"
    args.options = args.workdir_path / f"{args.body}.options.json"
    measured = draft_bench.phase_weasyprint(args)
    return dict(measured, cpu_seconds=_cpu_seconds() - cpu, load=max(load, os.getloadavg()[0]))


PHASES = {"setup": phase_setup, "kreistag": phase_kreistag, "body": phase_body}


def run_phase(name, workdir, args, body=""):
    command = [sys.executable, __file__, "--phase", name, "--workdir", str(workdir)]
    command += ["--measures", str(args.measures), "--body", body]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"Phase {name} {body} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=1500)
    parser.add_argument("--phase", choices=[*PHASES, "alone"])
    parser.add_argument("--workdir")
    parser.add_argument("--body", default="")
    args = parser.parse_args()
    if args.phase:
        args.workdir_path = Path(args.workdir)
        # draft_bench.phase_portal writes the Kreistag's HTML here too (kept for a look).
        args.html = args.workdir_path / "draft.html"
        args.options = args.workdir_path / "options.json"
        if args.phase != "alone":
            draft_bench.django_setup(
                args.workdir_path / "bench.sqlite3", args.workdir_path / "media"
            )
        run = phase_alone if args.phase == "alone" else PHASES[args.phase]
        print(json.dumps(run(args)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="adoption-bench-"))
    began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    setup = run_phase("setup", workdir, args)
    results = [("Kreistag", "kreistag", run_phase("kreistag", workdir, args))]
    for slug in SAMTGEMEINDEN:
        row = run_phase("body", workdir, args, slug)
        results.append((row["name"], slug, row))
    alone = {key: run_phase("alone", workdir, args, key) for _label, key, _row in results}
    print(
        f"Lauf ab {began}: {setup['bodies']} Körperschaften, {setup['measures']} angenommene "
        f"Maßnahmen, {setup['partnerships']} Beteiligungen, {setup['cost_years']} "
        f"Haushaltsjahre in Kostenplänen, {setup['funding']} bewilligte Förderungen; "
        f"{os.cpu_count()} CPU(s)"
    )
    print()
    print("| Vorlage | Lauf | Zeit (s) | CPU (s) | Seiten | Seiten/s | Spitze RSS (MB) | Last |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    checks = []
    for label, key, row in results:
        for run, measured in (("Portal", row), ("WeasyPrint allein", alone[key])):
            cpu = measured.get("cpu_seconds")
            print(
                f"| {label} | {run} | {measured['seconds']:.2f} | "
                f"{'' if cpu is None else f'{cpu:.2f}'} | {measured['pages']} | "
                f"{measured['pages'] / measured['seconds']:.1f} | {measured['peak_mb']:.0f} | "
                f"{measured.get('load', 0):.1f} |"
            )
        rate = row["pages"] / row["seconds"]
        checks.append((f"{label}: {rate:.1f} Seiten/s", rate >= TARGET_PAGES_PER_SECOND))
        checks.append((f"{label}: Spitze {row['peak_mb']:.0f} MB", row["peak_mb"] < TARGET_PEAK_MB))
    print()
    print(f"Ziele: >= {TARGET_PAGES_PER_SECOND} Seiten/s und < {TARGET_PEAK_MB} MB je Vorlage")
    for text, ok in checks:
        print(f"- {'erfüllt' if ok else 'VERFEHLT'}: {text}")
    print(f"\nArbeitsverzeichnis (danach löschen): {workdir}")


if __name__ == "__main__":
    main()
