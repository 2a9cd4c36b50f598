"""The seed_demo command's content: every test here reads one seeded real district.

Seeding takes seconds, so it runs once for this module (tests.conftest.ModuleRows); each test
runs in its own savepoint, so a test that edits or seeds again leaves the next one the same
rows. The command's other behaviour (refusals, determinism, small districts) is in
test_seed_demo.py.
"""

from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fields_of_action.models import FieldOfAction, Goal
from measures.models import Measure, Partnership, Priority, Status
from municipalities.models import Membership, Municipality, Role
from tests.conftest import ModuleRows

DATA = Path(__file__).resolve().parents[2] / "municipalities" / "data"
GV_CSV = DATA / "destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS_CSV = DATA / "samtgemeinde_sitze.csv"

DEMO_LOGINS = {
    "koordination": ("landkreis-luechow-dannenberg", Role.COORDINATOR),
    "kreistag": ("landkreis-luechow-dannenberg", Role.COUNCIL),
    "sg-elbtalaue": ("sg-elbtalaue", Role.EDITOR),
    "hitzacker": ("hitzacker-elbe", Role.EDITOR),
}


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "measures": Measure.objects.count(),
        "measure_history": Measure.history.count(),
        "partnerships": Partnership.objects.count(),
        "goals": Goal.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
    }


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """The real district with the demo content, and what seed_demo printed, once."""
    from django.test import override_settings

    from fields_of_action.seed import ensure_fields_of_action

    def seed_all():
        ensure_fields_of_action(FieldOfAction)
        call_command("import_municipalities", str(GV_CSV), seats=str(SEATS_CSV), stdout=StringIO())
        assert Municipality.objects.count() == 31
        with override_settings(DEBUG=True, PORTAL_DEMO_ALLOWED=True):
            return seed()

    with ModuleRows(django_db_blocker) as rows:
        yield rows.run(seed_all)


@pytest.fixture
def debug(settings):
    """Where demo content is allowed (the development settings with their SQLite database)."""
    settings.DEBUG = True
    settings.PORTAL_DEMO_ALLOWED = True


@pytest.fixture
def seeded(_seeded_once, db, debug):
    return _seeded_once


def test_creates_at_least_120_demo_measures_covering_everything(seeded):
    measures = Measure.objects.all()
    assert measures.count() >= 120
    assert not measures.filter(is_demo=False).exists()
    leads = set(measures.values_list("lead_municipality", flat=True))
    assert leads == set(Municipality.objects.values_list("pk", flat=True))
    fields = set(measures.values_list("field_of_action__number", flat=True))
    assert fields == {1, 2, 3, 4, 5, 6}
    assert set(measures.values_list("status", flat=True)) == set(Status.values)
    assert set(measures.values_list("priority", flat=True)) == set(Priority.values)
    assert len(set(measures.values_list("title", flat=True))) >= 40
    for group in ("for_citizens", "for_businesses", "for_administration"):
        assert measures.filter(**{group: True}).exists()


def test_demo_measures_are_valid_and_plausible(seeded):
    this_month = timezone.localdate().replace(day=1)
    measures = list(Measure.objects.prefetch_related("goals"))
    for measure in measures:
        measure.full_clean()
        assert measure.summary and measure.description
        if measure.planned_start:
            assert measure.planned_start.day == 1
        if measure.planned_end:
            assert measure.planned_end.day == 1
            assert measure.planned_start and measure.planned_end >= measure.planned_start
        if measure.status == Status.COMPLETED:
            assert measure.planned_end < this_month
        for value in (measure.budget_planned, measure.budget_spent):
            assert value is None or value >= 0
        if measure.contact_email:
            assert measure.contact_email.endswith(".example.org")
        assert measure.goals.all(), measure.title
        assert {g.field_of_action_id for g in measure.goals.all()} == {measure.field_of_action_id}
        assert measure.created_by is not None and measure.updated_by == measure.created_by
    with_leika = [m for m in measures if m.leika_key]
    assert with_leika and all(len(m.leika_key) == 14 and m.leika_key.isdigit() for m in with_leika)
    assert any(m.funding_source == "OZG-Umsetzungsmittel" for m in measures)
    assert any(m.contact_role == "Fachdienst Digitalisierung" for m in measures)


def test_joint_measures_have_valid_partners_and_shares(seeded):
    partnerships = list(Partnership.objects.select_related("measure"))
    assert len({p.measure_id for p in partnerships}) >= 10
    assert any(p.cost_share_percent is not None for p in partnerships)
    totals = defaultdict(Decimal)
    for p in partnerships:
        assert p.municipality_id != p.measure.lead_municipality_id
        p.full_clean()
        totals[p.measure_id] += p.cost_share_percent or 0
    assert all(total <= 100 for total in totals.values())


def test_goals_per_field_of_action(seeded):
    for field in FieldOfAction.objects.all():
        assert 2 <= field.goals.count() <= 3
    assert Goal.objects.filter(measures__isnull=False).distinct().count() >= 12


def test_demo_users_with_memberships_and_password(seeded, client):
    User = get_user_model()
    for username, (slug, role) in DEMO_LOGINS.items():
        user = User.objects.get(username=username)
        assert user.first_name and user.last_name
        assert user.email.endswith("@example.org")
        memberships = list(user.memberships.values_list("municipality__slug", "role"))
        assert memberships == [(slug, role)]
        # Through the login form: django-axes needs the request.
        response = client.post(reverse("login"), {"username": username, "password": "demo"})
        assert response.status_code == 302 and "_auth_user_id" in client.session
        client.logout()


def test_demo_measures_are_authored_by_the_matching_user(seeded):
    User = get_user_model()
    hitzacker = Measure.objects.filter(lead_municipality__slug="hitzacker-elbe")
    assert hitzacker.exists()
    assert set(hitzacker.values_list("created_by__username", flat=True)) == {"hitzacker"}
    gorleben = Measure.objects.filter(lead_municipality__slug="gorleben")
    assert set(gorleben.values_list("created_by__username", flat=True)) == {"koordination"}
    record = hitzacker.first().history.earliest()
    assert record.history_user == User.objects.get(username="hitzacker")


def test_prints_the_demo_logins(seeded):
    assert "Demo-Zugänge" in seeded
    for username in DEMO_LOGINS:
        assert username in seeded
    assert "demo" in seeded
    assert "Koordinierungsstelle" in seeded


def test_second_run_changes_nothing_and_keeps_edits(seeded):
    measure = Measure.objects.filter(lead_municipality__slug="hitzacker-elbe").first()
    measure.title = "Von Hand geänderter Titel"
    measure.status = Status.PAUSED
    measure.save()
    user = get_user_model().objects.get(username="hitzacker")
    user.set_password("neues-passwort")
    user.first_name = "Hanna"
    user.save()
    goal = Goal.objects.filter(field_of_action__number=1).first()
    goal.description = "Von der Koordinierungsstelle ergänzt."
    goal.save()
    before = snapshot()

    output = seed()

    assert snapshot() == before
    measure.refresh_from_db()
    assert measure.title == "Von Hand geänderter Titel"
    assert measure.status == Status.PAUSED
    user.refresh_from_db()
    assert user.check_password("neues-passwort")
    assert user.first_name == "Hanna"
    goal.refresh_from_db()
    assert goal.description == "Von der Koordinierungsstelle ergänzt."
    assert "bereits" in output


def test_recreates_missing_membership_without_duplicates(seeded):
    Membership.objects.filter(user__username="kreistag").delete()
    seed()
    assert Membership.objects.filter(user__username="kreistag", role=Role.COUNCIL).count() == 1
    assert Membership.objects.count() == len(DEMO_LOGINS)


def test_demo_has_a_realistic_review_picture(seeded):
    from measures.review import ReviewComment, ReviewState

    # Withdrawal is the editors' exit for mistaken entries; the demo has none.
    workflow = [s for s in ReviewState.values if s != ReviewState.WITHDRAWN]
    states = {state: Measure.objects.filter(review_state=state) for state in workflow}
    assert all(qs.exists() for qs in states.values())
    assert states[ReviewState.ACCEPTED].count() > len(states) * 10
    for measure in states[ReviewState.ACCEPTED]:
        assert measure.accepted_snapshot["title"] == measure.title
        assert "contact_name" not in measure.accepted_snapshot
    returned = states[ReviewState.CHANGES_REQUESTED].first()
    reason = ReviewComment.objects.get(measure=returned, to_state=ReviewState.CHANGES_REQUESTED)
    assert reason.text and reason.author.username == "koordination"


def test_demo_synergies_are_found(seeded):
    """The demo's Dorf-Apps, cemetery and DGH bookings of several bodies form clusters."""
    from django.core.management import call_command

    from measures import synergy
    from measures.models import PartnershipState

    call_command("recompute_similarity", stdout=StringIO())
    titles = [{m.title.split(" für ")[0] for m in c.measures} for c in synergy.clusters()]
    for wanted in (
        "Dorf-App",
        "Digitale Friedhofsverwaltung",
        "Online-Buchung des Dorfgemeinschaftshauses",
    ):
        assert any(wanted in group for group in titles), wanted
    # Demo joint measures stand for agreed ones.
    states = set(Partnership.objects.values_list("state", flat=True))
    assert states == {PartnershipState.CONFIRMED}
