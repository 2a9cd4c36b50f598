"""Benchmark: render the strategy draft PDF of a realistic large district.

Builds a throw-away SQLite database with the real 31 bodies of Landkreis Lüchow-Dannenberg
(from the GV-ISys extract the portal ships) and N accepted measures (default 1,500), then
measures, each phase in a fresh process so that peak memory belongs to that phase alone:

1. ``portal``: freeze a draft (snapshot) and run the render task as the worker does
   (context from the snapshot, template, WeasyPrint PDF/UA-1, store file + SHA-256);
2. ``weasyprint``: WeasyPrint alone on the very same HTML with the same options and the
   same library configuration as the portal (core.pdf.generator: speed_up_page_references, the
   lean user-agent stylesheet of LeanHTML, the finish_pdf finisher);
3. ``weasyprint-stock``: stock WeasyPrint (its own stylesheet, no cache, plain write_pdf),
   as a reference.

It prints a table with time, pages, pages per second and peak memory (max RSS), the portal's
overhead over WeasyPrint alone, and the targets: overhead < 15 %, >= 10 pages/s, < 1 GB.

    /work/main/.venv/bin/python bench/draft_bench.py [--measures 1500]

The work directory (SQLite database, HTML, PDF) stays in /tmp for a look at the PDF.

No timing assertions live in the test suite; this script is for humans and CI logs.
"""

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_OVERHEAD = 0.15
TARGET_PAGES_PER_SECOND = 10
TARGET_PEAK_MB = 1024


def django_setup(db_path, media_root):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["MEDIA_ROOT"] = str(media_root)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


WORDS = [
    "digitale",
    "Antragstellung",
    "Bürgerservice",
    "Fachverfahren",
    "Schnittstelle",
    "Datenschutz",
    "Portal",
    "Terminvereinbarung",
    "E-Akte",
    "Breitband",
    "Schulung",
    "Barrierefreiheit",
    "Open",
    "Data",
    "Rechenzentrum",
    "Zusammenarbeit",
    "Samtgemeinde",
    "Landkreis",
    "Prozessanalyse",
    "medienbruchfrei",
    "Verwaltungsleistung",
    "Informationssicherheit",
    "Notfallkonzept",
    "Standard",
    "Plattform",
    "Beteiligung",
    "Ehrenamt",
    "Förderung",
]


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def phase_setup(args):
    import datetime
    from decimal import Decimal
    from random import Random

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from fields_of_action.models import FieldOfAction, Goal
    from measures.models import (
        Measure,
        Partnership,
        PartnershipState,
        Priority,
        ReviewState,
        Status,
    )
    from measures.review import measure_snapshot
    from municipalities.models import Membership, Municipality, Role

    call_command("migrate", verbosity=0)
    data = ROOT / "municipalities" / "data"
    call_command(
        "import_municipalities",
        str(data / "destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"),
        seats=str(data / "samtgemeinde_sitze.csv"),
        verbosity=0,
    )
    bodies = list(Municipality.objects.order_by("tree_path"))
    user = get_user_model().objects.create_user("koordination", "k@example.org", "bench")
    district = next(b for b in bodies if b.parent_id is None)
    Membership.objects.create(user=user, municipality=district, role=Role.COORDINATOR)
    rng = Random(20260618)
    fields = list(FieldOfAction.objects.order_by("number"))
    goals = {}
    for field in fields:
        goals[field.pk] = [
            Goal.objects.create(
                field_of_action=field,
                title=f"Ziel {field.number}.{i}: {sentence(rng, 4)[:-1]}",
                description=sentence(rng, 14),
                position=i,
            )
            for i in range(1, 4)
        ]
    statuses = [Status.IDEA, Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED]
    measures = []
    for i in range(args.measures):
        start = datetime.date(2027 + rng.randrange(3), rng.randrange(1, 13), 1)
        measures.append(
            Measure(
                lead_municipality=rng.choice(bodies),
                field_of_action=rng.choice(fields),
                title=f"{sentence(rng, rng.randrange(3, 7))[:-1]} ({i + 1})",
                summary=sentence(rng, rng.randrange(12, 24)),
                description=sentence(rng, rng.randrange(30, 70))
                + "\n\n"
                + sentence(rng, rng.randrange(10, 30)),
                for_citizens=rng.random() < 0.6,
                for_businesses=rng.random() < 0.3,
                for_administration=rng.random() < 0.7,
                status=rng.choice(statuses),
                priority=rng.choice(list(Priority)),
                planned_start=start,
                planned_end=start.replace(year=start.year + 1 + rng.randrange(2)),
                budget_planned=Decimal(rng.randrange(5, 900) * 1000),
                budget_spent=Decimal(rng.randrange(0, 5) * 1000),
                funding_source=rng.choice(["Haushalt", "Förderprogramm", "Landesmittel"]),
                contact_name="Vorname Nachname",
                contact_role=rng.choice(["Fachdienst Digitalisierung", "Bauamt", "Kämmerei"]),
                review_state=ReviewState.ACCEPTED,
            )
        )
    Measure.objects.bulk_create(measures, batch_size=500)
    partnerships, links = [], []
    Through = Measure.goals.through
    for m in Measure.objects.all():
        for partner in rng.sample(bodies, rng.choice([0, 0, 1, 2, 3])):
            if partner.pk != m.lead_municipality_id:
                # Confirmed: only partnerships the partner agreed to reach a draft and its PDF.
                partnerships.append(
                    Partnership(
                        measure=m,
                        municipality=partner,
                        state=PartnershipState.CONFIRMED,
                        decided_at=timezone.now(),
                    )
                )
        for goal in rng.sample(goals[m.field_of_action_id], rng.randrange(1, 3)):
            links.append(Through(measure_id=m.pk, goal_id=goal.pk))
    Partnership.objects.bulk_create(partnerships, batch_size=1000)
    Through.objects.bulk_create(links, batch_size=1000)
    accepted = []
    for m in Measure.objects.with_related():
        m.accepted_snapshot = measure_snapshot(m)
        accepted.append(m)
    Measure.objects.bulk_update(accepted, ["accepted_snapshot"], batch_size=500)
    return {"bodies": len(bodies), "measures": len(accepted), "partnerships": len(partnerships)}


def phase_portal(args):
    import datetime
    from random import Random

    from django.contrib.auth import get_user_model

    from drafts.models import StrategyDraft
    from drafts.pdf import DraftPDFGenerator
    from drafts.tasks import render_draft_pdf
    from drafts.workflow import freeze

    user = get_user_model().objects.get(username="koordination")
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf Benchmark",
        resolution_date=datetime.date(2026, 6, 18),
        introduction=sentence(Random(1), 120),
    )
    started = time.perf_counter()
    freeze(draft, user, render=False)
    freeze_seconds = time.perf_counter() - started
    started = time.perf_counter()
    render_draft_pdf(draft.pk)  # what the worker runs
    render_seconds = time.perf_counter() - started
    draft.refresh_from_db()
    if draft.render_state != "ready":
        raise SystemExit(f"Rendering failed: {draft.render_error}")
    generator = DraftPDFGenerator(draft)
    Path(args.html).write_text(generator.get_html(), encoding="utf-8")
    Path(args.options).write_text(json.dumps(generator.get_pdf_options()), encoding="utf-8")
    return {
        "freeze_seconds": freeze_seconds,
        "seconds": render_seconds,
        "pages": draft.pdf_pages,
        "bytes": draft.pdf_size,
        "peak_mb": peak_mb(),
        "path": draft.pdf.path,
        "sha256": draft.pdf_sha256,
    }


def phase_weasyprint(args, patched=True):
    from weasyprint import HTML

    html_class, finisher = HTML, None
    if patched:  # the same library configuration as the portal's render
        sys.path.insert(0, str(ROOT))
        from core.pdf.generator import LeanHTML, finish_pdf, speed_up_page_references

        speed_up_page_references()
        html_class, finisher = LeanHTML, finish_pdf
    html = Path(args.html).read_text(encoding="utf-8")
    options = json.loads(Path(args.options).read_text(encoding="utf-8"))
    started = time.perf_counter()
    document = html_class(string=html, base_url=str(ROOT)).render(**options)
    pages = len(document.pages)
    data = document.write_pdf(finisher=finisher, **options)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "pages": pages,
        "bytes": len(data),
        "peak_mb": peak_mb(),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def phase_weasyprint_stock(args):
    return phase_weasyprint(args, patched=False)


PHASES = {
    "setup": phase_setup,
    "portal": phase_portal,
    "weasyprint": phase_weasyprint,
    "weasyprint-stock": phase_weasyprint_stock,
}


def run_phase(name, workdir, args):
    command = [
        sys.executable,
        __file__,
        "--phase",
        name,
        "--workdir",
        str(workdir),
        "--measures",
        str(args.measures),
    ]
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
        args.html = workdir / "draft.html"
        args.options = workdir / "options.json"
        if not args.phase.startswith("weasyprint"):
            django_setup(workdir / "bench.sqlite3", workdir / "media")
        print(json.dumps(PHASES[args.phase](args)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="draft-bench-"))
    setup = run_phase("setup", workdir, args)
    portal = run_phase("portal", workdir, args)
    alone = run_phase("weasyprint", workdir, args)
    stock = run_phase("weasyprint-stock", workdir, args)
    overhead = portal["seconds"] / alone["seconds"] - 1
    rate = portal["pages"] / portal["seconds"]
    rows = [
        ("Portal: Render-Task (Snapshot → HTML → PDF/UA → Datei)", portal),
        ("WeasyPrint allein (gleiches HTML, gleiche Optionen)", alone),
        ("WeasyPrint allein, ohne page_references-Cache (Referenz)", stock),
    ]
    print(
        f"Landkreis mit {setup['bodies']} Körperschaften, {setup['measures']} angenommenen "
        f"Maßnahmen, {setup['partnerships']} Beteiligungen; {os.cpu_count()} CPU(s); "
        f"Einfrieren (Snapshot): {portal['freeze_seconds']:.2f} s"
    )
    print()
    print(
        f"| {'Lauf':<58} | {'Zeit (s)':>8} | {'Seiten':>6} | {'Seiten/s':>8} "
        f"| {'Spitze RSS (MB)':>15} |"
    )
    print(f"|{'-' * 60}|{'-' * 10}:|{'-' * 7}:|{'-' * 9}:|{'-' * 16}:|")
    for label, row in rows:
        print(
            f"| {label:<58} | {row['seconds']:>8.2f} | {row['pages']:>6} | "
            f"{row['pages'] / row['seconds']:>8.1f} | {row['peak_mb']:>15.0f} |"
        )
    print()
    checks = [
        (
            f"Mehraufwand des Portals {overhead:+.1%} (Ziel < {TARGET_OVERHEAD:.0%})",
            overhead < TARGET_OVERHEAD,
        ),
        (
            f"{rate:.1f} Seiten/s (Ziel >= {TARGET_PAGES_PER_SECOND})",
            rate >= TARGET_PAGES_PER_SECOND,
        ),
        (
            f"Spitze {portal['peak_mb']:.0f} MB (Ziel < {TARGET_PEAK_MB} MB)",
            portal["peak_mb"] < TARGET_PEAK_MB,
        ),
    ]
    same = portal["sha256"] == alone["sha256"] == stock["sha256"]
    checks.append(("identische PDF-Bytes in allen drei Läufen (SHA-256)", same))
    for text, ok in checks:
        print(f"- {'erfüllt' if ok else 'VERFEHLT'}: {text}")
    print(f"\nPDF: {portal['path']}")
    print(f"Arbeitsverzeichnis (danach löschen): {workdir}")


if __name__ == "__main__":
    main()
