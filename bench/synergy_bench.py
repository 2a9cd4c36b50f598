"""Benchmark and quality of the synergy finder (measures/synergy.py).

1. Quality: the labelled set of tests/measures/synergy_quality.py in a fresh database,
   full recompute, then precision and recall at 5 over the stored matches, and whether any
   must-not pair was matched.
2. Speed: N further measures (default 1,500) built from the demo templates for the real 31
   bodies, with varied wording, then a full recompute (``manage.py recompute_similarity``)
   and the Celery task for one measure (``recompute_for``), timed; the process's start-up
   (Django, scikit-learn import) is timed separately.

    .venv/bin/python bench/synergy_bench.py [--measures 1500]

Target: full recompute of 1,500 measures < 30 s on the 2-core development machine.
No timing assertions live in the test suite; the quality numbers are asserted in
tests/measures/test_synergy.py.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30
GV_CSV = ROOT / "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS_CSV = ROOT / "municipalities/data/samtgemeinde_sitze.csv"

PREFIXES = ["", "", "", "Pilotprojekt: ", "Ausbau: ", "Einführung: "]
EXTRA = [
    "Die Umsetzung erfolgt in zwei Stufen.",
    "Ein Förderantrag ist gestellt.",
    "Die Beschäftigten werden geschult.",
    "Die Ergebnisse werden nach einem Jahr ausgewertet.",
    "",
]


def django_setup(db_path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(count, bodies):
    from fields_of_action.models import FieldOfAction
    from measures.demo.content import TEMPLATES
    from measures.models import Measure

    fields = {f.number: f for f in FieldOfAction.objects.all()}
    rng = random.Random(20261201)  # noqa: S311 - sample data, not security
    rows = []
    for i in range(count):
        template = TEMPLATES[i % len(TEMPLATES)]
        body = bodies[rng.randrange(len(bodies))]
        names = {"name": body.name, "kommune": body.name, "in_kommune": f"in {body.name}"}
        rows.append(
            Measure(
                lead_municipality=body,
                field_of_action=fields[template.field],
                title=(rng.choice(PREFIXES) + template.title.format(**names))[:200],
                summary=template.summary.format(**names)[:500],
                description=(template.description.format(**names) + " " + rng.choice(EXTRA)),
                leika_key=template.leika_key,
            )
        )
    Measure.objects.bulk_create(rows, batch_size=500)


def quality(bodies):
    sys.path.insert(0, str(ROOT))
    from measures.synergy import recompute_all
    from tests.measures import synergy_quality as q

    letters = sorted({m[1] for m in q.MEASURES})
    created = q.create_measures(dict(zip(letters, bodies[-len(letters) :], strict=True)))
    recompute_all()
    found = q.found_in_db(created)
    precision, recall = q.precision_recall_at(found, 5)
    wrong = [(a, b) for a, b in q.MUST_NOT if b in found[a] or a in found[b]]
    return len(created), precision, recall, wrong, created


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=1500)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="synergy-bench-"))
    started = time.perf_counter()
    django_setup(work / "bench.sqlite3")
    import sklearn.feature_extraction.text  # noqa: F401 - timed as part of start-up

    from measures import synergy
    from measures.models import Measure, SimilarMeasure

    startup = time.perf_counter() - started

    from django.core.management import call_command

    from municipalities.models import Municipality

    call_command("migrate", verbosity=0)
    call_command("import_municipalities", str(GV_CSV), seats=str(SEATS_CSV), verbosity=0)
    bodies = list(Municipality.objects.order_by("tree_path"))
    size, precision, recall, wrong, created = quality(bodies)
    Measure.objects.filter(pk__in=[m.pk for m in created.values()]).delete()

    build(args.measures, bodies)
    total = Measure.objects.count()
    t0 = time.perf_counter()
    rows = synergy.recompute_all()
    full = time.perf_counter() - t0
    one_pk = Measure.objects.order_by("pk").values_list("pk", flat=True)[total // 2]
    t0 = time.perf_counter()
    synergy.recompute_for(one_pk)
    one = time.perf_counter() - t0
    clusters = synergy.clusters()

    print(f"Synergy-Benchmark ({os.cpu_count()} CPU(s), SQLite, {work})\n")
    print("| Messung | Wert |")
    print("| --- | ---: |")
    print(f"| Qualitätsset: Maßnahmen | {size} |")
    print(f"| Precision@5 | {precision:.2f} |")
    print(f"| Recall@5 | {recall:.2f} |")
    print(f"| Fälschlich gefundene Ausschluss-Paare | {len(wrong)} von 9 |")
    print(f"| Maßnahmen für die Laufzeit | {total} |")
    print(f"| Start (Django, scikit-learn laden) | {startup:.1f} s |")
    print(f"| Vollständige Neuberechnung | {full:.1f} s |")
    print(f"| Neuberechnung einer Maßnahme (Celery-Task) | {one:.2f} s |")
    print(f"| gespeicherte Treffer | {rows} ({SimilarMeasure.objects.count()}) |")
    print(f"| Gruppen ähnlicher Maßnahmen | {len(clusters)} |")
    verdict = "erreicht" if full < TARGET_SECONDS else "VERFEHLT"
    print(f"\nZiel: vollständige Neuberechnung < {TARGET_SECONDS} s – {verdict}.")
    if wrong:
        print(f"Ausschluss-Paare gefunden: {wrong}")


if __name__ == "__main__":
    main()
