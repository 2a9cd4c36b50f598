"""The seed_demo command: who may run it, determinism, small districts.

What it creates on the real district is checked in test_seed_demo_content.py.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from fields_of_action.models import Goal
from measures.models import Measure, Partnership
from municipalities.models import Membership, Municipality

DATA = Path(__file__).resolve().parents[2] / "municipalities" / "data"
GV_CSV = DATA / "destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS_CSV = DATA / "samtgemeinde_sitze.csv"


@pytest.fixture
def real_district(db):
    call_command("import_municipalities", str(GV_CSV), seats=str(SEATS_CSV), stdout=StringIO())
    assert Municipality.objects.count() == 31


@pytest.fixture
def debug(settings):
    """Where demo content is allowed (the development settings with their SQLite database)."""
    settings.DEBUG = True
    settings.PORTAL_DEMO_ALLOWED = True


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_is_deterministic(real_district, debug):
    seed()
    first = list(
        Measure.objects.order_by("pk").values_list(
            "title", "lead_municipality__slug", "status", "planned_start", "budget_planned"
        )
    )
    Partnership.objects.all().delete()
    Measure.objects.all().delete()
    seed()
    second = list(
        Measure.objects.order_by("pk").values_list(
            "title", "lead_municipality__slug", "status", "planned_start", "budget_planned"
        )
    )
    assert first == second


@pytest.mark.parametrize("debug_on", [False, True])
def test_refuses_unless_the_settings_allow_demo_content(
    real_district, settings, debug_on, django_assert_num_queries
):
    """Issue 18, item 8: DEBUG alone let demo logins into a production database."""
    settings.DEBUG = debug_on
    settings.PORTAL_DEMO_ALLOWED = False
    # Refused before the first query: the database it would write to may be a live one.
    with (
        pytest.raises(CommandError, match="PORTAL_DEMO_ALLOWED") as refused,
        django_assert_num_queries(0),
    ):
        seed()
    assert "Passwort „demo“" in str(refused.value) and "known password" in str(refused.value)
    assert not Measure.objects.exists()
    assert not get_user_model().objects.exists()


def _demo_allowed(settings_module, **variables):
    """PORTAL_DEMO_ALLOWED as a fresh interpreter computes it from the environment."""
    from tests.test_production_settings import REQUIRED, run_child

    probe = (
        "import environ\n"
        "environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)\n"
        "import django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "print(settings.PORTAL_DEMO_ALLOWED)\n"
    )
    base = REQUIRED if settings_module.endswith("production") else {}
    result = run_child(probe, {**base, "DJANGO_SETTINGS_MODULE": settings_module, **variables})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


LOCAL = "strategy_portal.settings.local"
PRODUCTION = "strategy_portal.settings.production"
LIVE_DB = "postgres://portal:geheim@db.invalid:5432/portal"


@pytest.mark.no_services  # a child process with its own environment per case
@pytest.mark.parametrize(
    ("module", "variables", "allowed"),
    [
        (LOCAL, {}, True),  # make run: SQLite, DEBUG on
        (LOCAL, {"DEBUG": "false"}, False),
        (LOCAL, {"DATABASE_URL": LIVE_DB}, False),  # a local checkout on a live database
        (LOCAL, {"DATABASE_URL": LIVE_DB, "PORTAL_DEMO_ALLOWED": "true"}, True),
        (PRODUCTION, {"PORTAL_DEMO_ALLOWED": "true", "DEBUG": "true"}, False),
        ("strategy_portal.settings.test", {}, False),
    ],
)
def test_which_settings_allow_demo_content(module, variables, allowed):
    assert _demo_allowed(module, **variables) is allowed


def test_refuses_without_municipalities(db, debug):
    with pytest.raises(CommandError, match="keine Kommunen"):
        seed()
    assert not Measure.objects.exists()
    assert not get_user_model().objects.exists()
    assert not Goal.objects.exists()


def test_works_on_a_small_district(district, debug):
    """With only part of the district loaded every municipality still leads a measure."""
    seed()
    leads = set(Measure.objects.values_list("lead_municipality", flat=True))
    assert leads == set(Municipality.objects.values_list("pk", flat=True))
    assert Measure.objects.count() >= 120
    assert Membership.objects.filter(user__username="hitzacker").count() == 1
