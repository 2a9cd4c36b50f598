"""Shared fixtures: a small real-shaped district, one user per role, headless Chromium."""

import os
import shutil

import pytest

from fields_of_action.models import FieldOfAction
from fields_of_action.seed import FIELDS_OF_ACTION, ensure_fields_of_action
from municipalities.models import MunicipalityKind, Role

from .eager import eager_celery  # noqa: F401 - autouse fixture, for the whole suite
from .factories import MembershipFactory, MunicipalityFactory, UserFactory

# Templates whose contexts no test reads: form widgets and crispy's field layouts, rendered
# a hundred times on a form page.
UNRECORDED_TEMPLATES = ("django/forms/", "bootstrap5/")


@pytest.fixture(scope="session", autouse=True)
def _lean_template_recording(django_test_environment):
    """Django's test environment sends a signal for every template rendered, and the test
    client keeps a copy of each one's context (``response.context``): on a form page that is a
    third of the rendering time. The widgets' and field layouts' templates are rendered without
    it; ``response.context`` still holds every page's and include's context."""
    from django.template.base import Template
    from django.test.utils import _TestState

    recording = Template._render
    plain = _TestState.saved_data.template_render

    def render(self, context):
        if isinstance(self.name, str) and self.name.startswith(UNRECORDED_TEMPLATES):
            return plain(self, context)
        return recording(self, context)

    Template._render = render
    yield
    Template._render = recording


@pytest.fixture
def unrecorded_templates(monkeypatch):
    """Every template rendered without the recording (``response.context`` stays empty), for
    tests that send thousands of requests and read no context (the input battery): it halves
    their run time. Restores the recording above afterwards."""
    from django.template.base import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


@pytest.fixture(autouse=True)
def _fresh_data_version():
    """Every test starts with a new data version, so figures cached by an earlier test (whose
    rows were rolled back) are never read. Not cache.clear(): in CI's second run the cache
    shares its Redis database with the live Celery worker's queue."""
    from django.core.cache import cache

    from core import data_version

    cache.delete(data_version.KEY)
    yield


@pytest.fixture(autouse=True)
def _fresh_attempt_limits(monkeypatch):
    """Counters of core.security.AttemptLimit (wrong API keys, password resets) under a new
    prefix per test: every test client comes from 127.0.0.1, and in CI's second run the cache
    outlives the test."""
    import uuid

    from core.security import AttemptLimit

    monkeypatch.setattr(AttemptLimit, "KEY_PREFIX", f"test-limit:{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def _fresh_api_rate_limits(monkeypatch):
    """The API's rate-limit counters under a new key per test, for the same reason: anonymous
    requests of every test count for 127.0.0.1, and the suite's many public API reads outside
    tests/api (whose own fixture empties a private cache) add up past 60 a minute."""
    import uuid

    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "cache_format",
        f"test-throttle:{uuid.uuid4().hex}:%(scope)s_%(ident)s",
    )


# Modules that take longest, run first: pytest-xdist hands each process a share of the tests
# in this order and lets a process that is done take tests from the end of another's share,
# so the processes finish together instead of one waiting for a long test begun last.
LONGEST_FIRST = (
    "tests/hardening/test_battery.py",
    "tests/browser/test_accessibility.py",
    "tests/browser/test_review_and_drafts.py",
    "tests/browser/test_layout.py",
    "tests/browser/test_procedures.py",
)
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.hookimpl(trylast=True)  # after pytest-django's order (database tests, transactional, rest)
def pytest_collection_modifyitems(config, items):
    """Longest modules first (``LONGEST_FIRST``), the rest in pytest-django's order; and
    checks that every test runs in one of CI's runs at least: a test marked ``no_services``
    (left out of the PostgreSQL run) asks for no database, one marked ``ci_postgres_only``
    (left out of the first run) is no browser test and not ``no_services``."""
    for item in items:
        if item.get_closest_marker("ci_postgres_only") and (
            item.get_closest_marker("no_services") or item.get_closest_marker("browser")
        ):
            raise pytest.UsageError(
                f"{item.nodeid} is marked ci_postgres_only and browser or no_services: CI "
                "would run it in neither of its runs."
            )
        if item.get_closest_marker("no_services") and (
            item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)
        ):
            raise pytest.UsageError(
                f"{item.nodeid} is marked no_services but uses the database: CI's PostgreSQL "
                "run would skip it. Remove the marker."
            )
    rank = {path: index for index, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server", "live_worker"} & set(getattr(item, "fixturenames", ()))
    )


def _seed_migration_rows():
    """The rows data migrations seed, with the primary keys they got there (1, 2, ...): the
    sequences of the emptied tables start again at 1 first, as after migrating."""
    from django.core.management.color import no_style
    from django.db import connection

    from measures.models import FundingProgramme
    from measures.seed import ensure_funding_programmes
    from procedures.models import Category
    from procedures.seed import ensure_categories

    seeds = [
        (FieldOfAction, ensure_fields_of_action),
        (Category, ensure_categories),
        (FundingProgramme, ensure_funding_programmes),
    ]
    empty = [model for model, _ in seeds if not model.objects.exists()]
    sequences = [{"table": model._meta.db_table, "column": "id"} for model in empty]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)
    for model, ensure in seeds:
        ensure(model)


def pytest_fixture_post_finalizer(fixturedef, request):
    """A transactional test (browser tests among them) ends by flushing every table, which
    empties the rows that data migrations seed: fields of action, register categories and the
    example funding programmes. They come back right after that flush (the teardown of
    pytest-django's database fixture), so every later test in this process finds the database
    as migrated, whatever order the tests run in (pytest-xdist hands tests to its processes in
    no fixed order)."""
    if fixturedef.argname != "_django_db_helper" or not _is_transactional(request.node):
        return
    from pytest_django.plugin import blocking_manager_key

    with request.config.stash[blocking_manager_key].unblock():
        _seed_migration_rows()


@pytest.fixture
def fields_of_action(db):
    """The six seeded rows. Transactional tests flush the migration's rows, so seed again.

    Read first (one query): in the other tests the migration's rows are there as seeded, and
    rewriting them for every test costs twelve queries and six data-version bumps.
    """
    rows = list(FieldOfAction.objects.order_by("number"))
    keys = FIELDS_OF_ACTION[0].keys()
    if [{key: getattr(row, key) for key in keys} for row in rows] != FIELDS_OF_ACTION:
        ensure_fields_of_action(FieldOfAction)
        rows = list(FieldOfAction.objects.order_by("number"))
    return rows


@pytest.fixture
def district(db, fields_of_action):
    """Landkreis -> Samtgemeinde Elbtalaue -> Hitzacker, Dannenberg; plus SG Gartow -> Gorleben."""
    return build_district()


def build_district():
    """The rows of ``district``, for fixtures that build them once for a module."""
    landkreis = MunicipalityFactory(
        name="Lüchow-Dannenberg",
        slug="landkreis-luechow-dannenberg",
        kind=MunicipalityKind.DISTRICT,
        ars="03354",
        ags="03354000",
    )
    elbtalaue = MunicipalityFactory(
        name="Elbtalaue",
        slug="sg-elbtalaue",
        kind=MunicipalityKind.SAMTGEMEINDE,
        ars="033545406",
        ags=None,
        parent=landkreis,
    )
    hitzacker = MunicipalityFactory(
        name="Hitzacker (Elbe)",
        slug="hitzacker-elbe",
        kind=MunicipalityKind.TOWN,
        ars="033545406009",
        ags="03354009",
        parent=elbtalaue,
    )
    dannenberg = MunicipalityFactory(
        name="Dannenberg (Elbe)",
        slug="dannenberg-elbe",
        kind=MunicipalityKind.TOWN,
        ars="033545406004",
        ags="03354004",
        parent=elbtalaue,
    )
    gartow = MunicipalityFactory(
        name="Gartow",
        slug="sg-gartow",
        kind=MunicipalityKind.SAMTGEMEINDE,
        ars="033545403",
        ags=None,
        parent=landkreis,
    )
    gorleben = MunicipalityFactory(
        name="Gorleben",
        slug="gorleben",
        kind=MunicipalityKind.MUNICIPALITY,
        ars="033545403007",
        ags="03354007",
        parent=gartow,
    )
    return {
        "district": landkreis,
        "elbtalaue": elbtalaue,
        "hitzacker": hitzacker,
        "dannenberg": dannenberg,
        "gartow": gartow,
        "gorleben": gorleben,
    }


GV_CSV = "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS = "municipalities/data/samtgemeinde_sitze.csv"


def _seed_demo_district():
    from django.core.management import call_command
    from django.test import override_settings

    call_command("import_municipalities", GV_CSV, seats=SEATS)
    # Demo logins only where a settings module allows them.
    with override_settings(PORTAL_DEMO_ALLOWED=True):
        call_command("seed_demo")
        call_command("seed_evaluation_demo")


# Per in-memory SQLite test database: its content right after the first seeding of the demo.
_DEMO_SNAPSHOTS = {}


@pytest.fixture
def demo_district(fields_of_action):
    """The real district from the GV-ISys extract, the demo measures, logins and evaluation."""
    load_demo_district()


def load_demo_district():
    """``demo_district``'s rows. Seeding takes seconds and the browser sweeps (transactional
    tests, the database emptied after each) need it again and again: on the in-memory SQLite
    database of ``make test`` the first seeding's result is kept as a copy (SQLite's backup)
    and copied back for the next test that starts from an empty database; elsewhere it is
    seeded each time.
    """
    import sqlite3

    from django.contrib.auth import get_user_model
    from django.db import connection

    from municipalities.models import Municipality

    reusable = (
        connection.vendor == "sqlite"
        and connection.is_in_memory_db()
        and not connection.in_atomic_block  # a transactional test: nothing to roll back
        and not Municipality.objects.exists()
        and not get_user_model().objects.exists()
    )
    if not reusable:
        _seed_demo_district()
        return
    snapshot = _DEMO_SNAPSHOTS.get(connection.settings_dict["NAME"])
    if snapshot is not None:
        snapshot.backup(connection.connection)
        return
    _seed_demo_district()
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(snapshot)
    _DEMO_SNAPSHOTS[connection.settings_dict["NAME"]] = snapshot


class ModuleRows:
    """Rows that all tests of one module read, created once instead of once per test.

    They are written in a transaction that stays open while the module's tests run; each test
    runs in its own savepoint inside it (pytest-django's ``db``), and the transaction is rolled
    back after the module's last test, so no other module sees them. Use it only in a module
    whose every database test wants these rows (a test that expects an empty table would find
    them) and that has no transactional test.
    """

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.atomic = None

    def __enter__(self):
        from django.db import transaction

        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
        return self

    def run(self, function, *args, **kwargs):
        with self.blocker.unblock():
            return function(*args, **kwargs)

    def __exit__(self, *exc_info):
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        return False


@pytest.fixture(scope="module")
def shared_demo_district(django_db_setup, django_db_blocker):
    """``demo_district`` once for a whole module (see ModuleRows): seeding it takes seconds."""
    with ModuleRows(django_db_blocker) as rows:
        rows.run(ensure_fields_of_action, FieldOfAction)
        rows.run(_seed_demo_district)
        yield


def _member(username, municipality, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def users(district):
    """One user per role. Keys are the role names used in the permission matrices."""
    return build_users(district)


def build_users(district):
    """The rows of ``users``, for fixtures that build them once for a module."""
    return {
        "anonymous": None,
        "editor_own": _member("hitzacker", district["hitzacker"], Role.EDITOR),
        "editor_other": _member("gorleben", district["gorleben"], Role.EDITOR),
        "samtgemeinde_editor": _member("sg-elbtalaue", district["elbtalaue"], Role.EDITOR),
        "coordinator": _member("koordination", district["district"], Role.COORDINATOR),
        "council": _member("kreistag", district["district"], Role.COUNCIL),
    }


@pytest.fixture
def as_role(client, users):
    """Return a client logged in as the given role (anonymous: not logged in)."""

    def login(role):
        user = users[role]
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def live_worker(transactional_db, settings):
    """A real Celery worker process on Redis, started by .ci/run for the second (PostgreSQL) run.

    .ci/run starts `celery -A strategy_portal worker` against the test database
    (test_<name>) and sets PORTAL_LIVE_WORKER=1. Tests that use this fixture commit their data
    (transactional_db) so the worker process sees it.
    """
    import os

    if not os.environ.get("PORTAL_LIVE_WORKER"):
        pytest.skip(
            "Kein laufender Celery-Worker (PORTAL_LIVE_WORKER nicht gesetzt); "
            ".ci/run startet ihn im zweiten Lauf gegen PostgreSQL und Redis."
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("PORTAL_LIVE_WORKER ist gesetzt, aber REDIS_URL fehlt.")
    return True


# --- Browser tests: Debian's Chromium driven by Playwright, with axe-core checks ---------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"Kein Chromium unter {CHROMIUM}: Browser-Tests laufen in CI (.ci/run).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; fails the test if the page logged a JavaScript or CSP error."""
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert errors == [], f"Fehler im Browser: {errors}"


@pytest.fixture
def assert_accessible():
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail on any violation.

    Then check the page at 320 CSS px for horizontal scrolling (``check_reflow``).
    """
    from axe_playwright_python.base import AXE_SCRIPT, AxeResults

    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
        },
        "resultTypes": ["violations"],
    }
    # axe-core as axe-playwright-python ships it, injected once per loaded document (not before
    # every run), and only the violations travel back: the full results of a page (every rule
    # that passed, with its elements) are megabytes of JSON that nobody reads.
    command = (
        "async (options) => { const results = await axe.run(document, options);"
        " return {violations: results.violations}; }"
    )

    def check(page):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SCRIPT)
        results = AxeResults(page.evaluate(command, options))
        assert results.violations_count == 0, (
            f"axe-core meldet Verstöße auf {page.url}:\n{results.generate_report()}"
        )
        # Beside axe, every visited page must reflow at 320 CSS px (WCAG 1.4.10).
        size = page.viewport_size
        if size and size["width"] != REFLOW_WIDTH:
            page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
            try:
                check_reflow(page)
            finally:
                page.set_viewport_size(size)
        else:
            check_reflow(page)

    return check


REFLOW_WIDTH = 320  # CSS px: WCAG 2.1 SC 1.4.10 (1280 px at 400 % zoom)

_OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !el.closest('.table-responsive, .chart-scroll')) {
      const classes = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes +
               ' right=' + Math.round(box.right));
    }
  }
  return out.slice(0, 8);
}"""


_CHART_TEXT_SCRIPT = """() => {
  const small = [];
  for (const svg of document.querySelectorAll('svg.eval-chart, svg.chart')) {
    const box = svg.viewBox && svg.viewBox.baseVal;
    if (!box || !box.width || !svg.getBoundingClientRect().width) continue;
    const scale = svg.getBoundingClientRect().width / box.width;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < 11.95) small.push(text.textContent.slice(0, 30) + ': ' + size.toFixed(1) + ' px');
    }
  }
  return small.slice(0, 5);
}"""


def check_reflow(page):
    """Fail when the page scrolls sideways (WCAG 1.4.10) or chart text is below 12 px."""
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > inner_width:
        culprits = page.evaluate(_OVERFLOW_SCRIPT)
        pytest.fail(
            f"{page.url} ist bei {inner_width} px {scroll_width} px breit "
            f"(waagerechtes Scrollen); zu breit: {culprits}"
        )
    small = page.evaluate(_CHART_TEXT_SCRIPT)
    assert not small, f"{page.url}: Diagrammschrift kleiner als 12 px: {small}"


@pytest.fixture
def assert_reflows():
    """Check that the current page needs no horizontal scrolling at its viewport width.

    Resize first with ``page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})``
    (``assert_accessible`` does so by itself). Wide data tables scroll inside their own
    labelled, focusable region (``.table-responsive`` with role=region, aria-label and
    tabindex=0), never the page.
    """
    return check_reflow


@pytest.fixture
def login(page):
    def do_login(username, password="geheim-123"):  # noqa: S107 - test fixture password
        page.goto("/accounts/login/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()

    return do_login


@pytest.fixture
def security_events(caplog):
    """``security_events(name=None)``: the security log's events so far (dicts), by name."""
    import logging

    caplog.set_level(logging.INFO, logger="portal.security")

    def collect(name=None):
        found = [r.security for r in caplog.records if r.name == "portal.security"]
        return [e for e in found if name is None or e["event"] == name]

    return collect
