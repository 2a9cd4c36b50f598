"""Fault test with real workers: kill -9 during a gathering of 400 indicators and a render.

Run by .ci/run as its third run (PostgreSQL, Redis, PORTAL_FAULT_TEST=1). The test starts,
kills and restarts its own prefork worker; no other worker may consume the same Redis
database, which the test empties before and after. Time limits, the visibility timeout and
the render heartbeat are shortened for this worker so that the test takes about two minutes;
the mechanisms are the production ones (strategy_portal/settings/base.py, docs/betrieb.md).

Asserted: 0 lost and 0 duplicated measurements, a finished run log with every indicator
accounted for, and a draft that ends rendered or retryable (and renders after the retry).
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from drafts.models import RenderState, StrategyDraft
from drafts.workflow import freeze, request_render
from evaluation.gathering import dispatch_gathering
from evaluation.models import CollectionRun, Indicator, Measurement, RunTrigger
from strategy_portal.celery import app
from tests.drafts.conftest import accept
from tests.evaluation.factories import IndicatorFactory
from tests.factories import MeasureFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
INDICATORS = 400
PERIODS = (2023, 2024, 2025)
CSV = ("period,value\n" + "".join(f"{year},{year - 2000}\n" for year in PERIODS)).encode()
STALE_SECONDS = 8
# For the worker: short limits so that redelivery after a dead worker comes within seconds.
WORKER_ENV = {
    "CELERY_TASK_TIME_LIMIT": "20",
    "CELERY_TASK_SOFT_TIME_LIMIT": "15",
    "EVALUATION_GATHER_TIME_LIMIT": "10",
    "EVALUATION_GATHER_SOFT_TIME_LIMIT": "8",
    "CELERY_VISIBILITY_TIMEOUT": "25",
    "CELERY_UNACKED_RESTORE_INTERVAL": "2",
    "DRAFTS_RENDER_HEARTBEAT_SECONDS": "2",
}

pytestmark = [
    pytest.mark.worker_faults,
    pytest.mark.skipif(
        not os.environ.get("PORTAL_FAULT_TEST"),
        reason="Fehlertest mit echtem Worker: nur in Lauf 3 von .ci/run (PORTAL_FAULT_TEST=1, "
        "PostgreSQL und eine eigene Redis-Datenbank).",
    ),
]


def wait_until(what, predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)  # waiting for other processes, not for the clock
    pytest.fail(f"Nach {seconds} s nicht eingetreten: {what}")


def children_of(pid):
    """Process ids whose parent is ``pid`` (the prefork pool processes), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


class Worker:
    """A `celery worker --pool=prefork` in its own process group, against the test database."""

    def __init__(self, log_path, media_root):
        self.log_path = log_path
        self.media_root = media_root
        self.process = None
        self.starts = 0

    def env(self):
        db = connection.settings_dict
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return {
            **os.environ,
            **WORKER_ENV,
            "DJANGO_SETTINGS_MODULE": "strategy_portal.settings.test",
            "DATABASE_URL": f"postgres://{auth}@{host}:{port}/{db['NAME']}",
            "REDIS_URL": django_settings.REDIS_URL,
            "MEDIA_ROOT": str(self.media_root),
        }

    def start(self):
        self.starts += 1
        log = open(self.log_path, "a")  # noqa: SIM115 - closed with the process
        log.write(f"\n===== worker start {self.starts} =====\n")
        log.flush()
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "strategy_portal",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                f"--hostname=fault{self.starts}@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        marker = f"fault{self.starts}@"
        wait_until("Worker bereit", lambda: self._ready(marker), 60)

    def _ready(self, marker):
        if self.process.poll() is not None:
            pytest.fail(f"Der Worker endete beim Start.\n{self.log()}")
        this_start = self.log().split(f"===== worker start {self.starts} =====")[-1]
        return marker in this_start and "ready." in this_start

    def pool_children(self):
        return children_of(self.process.pid)

    def kill_everything(self):
        """kill -9 the whole worker: main process and pool, like a lost machine."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_pool_children(self):
        """kill -9 the pool processes only; the main process replaces them."""
        children = self.pool_children()
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        return children

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def empty_broker():
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.fail("PORTAL_FAULT_TEST braucht PostgreSQL (DATABASE_URL) und Redis (REDIS_URL).")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DRAFTS_RENDER_STALE_SECONDS = STALE_SECONDS
    empty_broker()
    process = Worker(tmp_path / "worker.log", settings.MEDIA_ROOT)
    yield process
    process.stop()
    empty_broker()
    print(process.log()[-20000:])  # shown by pytest when the test failed


@pytest.fixture
def sources(httpserver):
    httpserver.expect_request("/werte.csv").respond_with_data(CSV, content_type="text/csv")
    return httpserver.url_for("/werte.csv")


def make_indicators(url, district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    Indicator.objects.bulk_create(
        [
            IndicatorFactory.build(
                measure=measure, name=f"Indikator {n}", source_kind="csv_url", source_url=url
            )
            for n in range(INDICATORS)
        ]
    )


def make_frozen_draft(district, users):
    bodies = [district["hitzacker"], district["gorleben"], district["elbtalaue"]]
    for n in range(60):  # enough pages that the render takes a few seconds
        accept(
            MeasureFactory(
                lead_municipality=bodies[n % 3],
                title=f"Maßnahme {n + 1}",
                summary="Kurzbeschreibung der Maßnahme.",
                description="Ausführliche Beschreibung der Maßnahme. " * 60,
            ),
            users,
        )
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=users["coordinator"],
    )
    return freeze(draft, users["coordinator"], render=False)


def render_state(draft):
    return StrategyDraft.objects.filter(pk=draft.pk).values_list("render_state", flat=True)[0]


def finished_results(run):
    return run.results.filter(finished_at__isnull=False).count()


def test_killing_the_worker_loses_and_duplicates_nothing(
    worker, sources, district, users, fields_of_action, client
):
    make_indicators(sources, district)
    draft = make_frozen_draft(district, users)
    worker.start()

    # 1. kill -9 the whole worker in the middle of a gathering of 400 indicators.
    run = dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL)
    wait_until("80 Indikatoren abgerufen", lambda: finished_results(run) >= 80, 60)
    worker.kill_everything()
    run.refresh_from_db()
    assert run.finished_at is None, "the kill came too late to test anything"
    done_at_kill = finished_results(run)
    assert done_at_kill < INDICATORS

    # 2. Start it again; queue a render behind the rest of the gathering.
    worker.start()
    request_render(draft, users["coordinator"])
    wait_until("PDF wird erzeugt", lambda: render_state(draft) == RenderState.RENDERING, 90)
    # 3. kill -9 the pool processes during the render: the message goes back at once.
    assert worker.kill_pool_children()
    wait_until("PDF fertig", lambda: render_state(draft) == RenderState.READY, 60)
    # The messages of the first worker come back after the visibility timeout.
    wait_until(
        "Abruflauf beendet",
        lambda: CollectionRun.objects.get(pk=run.pk).finished_at is not None,
        60,
    )

    run.refresh_from_db()
    assert (run.indicators_ok, run.indicators_failed, run.indicators_removed) == (400, 0, 0)
    assert (run.values_created, run.values_updated) == (INDICATORS * len(PERIODS), 0)
    assert Measurement.objects.count() == INDICATORS * len(PERIODS)  # 0 lost
    per_indicator = Measurement.objects.values("indicator").annotate(n=Count("pk"))
    assert {row["n"] for row in per_indicator} == {len(PERIODS)}
    duplicates = (
        Measurement.objects.values("indicator", "period").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not duplicates.exists()  # 0 duplicated

    # 4. kill -9 the whole worker during a render: recognised as lost, then retried.
    request_render(draft, users["coordinator"])
    wait_until("PDF wird erneut erzeugt", lambda: render_state(draft) == RenderState.RENDERING, 30)
    worker.kill_everything()
    client.force_login(users["coordinator"])
    page = wait_until(
        "abgebrochene Erzeugung erkannt",
        lambda: (
            lambda response: response if "Erneut versuchen" in response.content.decode() else None
        )(client.get(reverse("drafts:detail", args=[draft.pk]))),
        STALE_SECONDS + 10,
    )
    assert "ausgefallen" in page.content.decode()
    assert render_state(draft) == RenderState.FAILED  # retryable, with the reason recorded
    worker.start()
    client.post(reverse("drafts:render", args=[draft.pk]))
    wait_until("PDF nach dem Neustart fertig", lambda: render_state(draft) == "ready", 60)
    draft.refresh_from_db()
    assert draft.has_pdf and len(draft.pdf_sha256) == 64 and draft.render_error == ""
