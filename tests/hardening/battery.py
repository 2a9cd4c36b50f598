"""The bad-input battery: bad values and the registry of every form and upload of the portal.

``FORMS`` names every URL that takes input (a POST form, a POST action, a GET filter, an
upload, a JSON endpoint) with the roles allowed to use it, its valid data and the fields to
attack. ``NO_INPUT`` names every other URL and why it takes none. ``test_battery`` asserts
that the two together cover the project's URL resolver, so a new view fails the test until it
is entered here.

How to add a URL (a new view fails ``test_every_url_is_in_the_battery...`` until you do):

1. It takes no input (a read-only page, a file download, JSON for reading): add
   ``"namespace:name": "why"`` to ``NO_INPUT``. Its path arguments are still attacked by
   ``test_absurd_ids_in_the_address_are_a_404_not_a_500``.
2. It takes input: add ``Form("namespace:name", roles, data=..., args=...)`` to ``FORMS``:
   ``roles`` those allowed to use it (from ``ROLES``), ``data(world)`` input that some allowed
   role gets accepted (a success message, a redirect without error, or what ``accepts`` says),
   ``args(world)`` the path arguments, ``foreign_args(world)`` those of another body's object.
   Objects it needs go into ``build_world`` (or ``_build_more``), under ``world.extra``.
   ``data`` must hold every input the form page renders (``test_the_battery_attacks_every_
   field...`` reads the page at ``args``); for an action posted from another page set
   ``shows_form=False``. GET filters: ``method="get"``; JSON: ``method="json"`` (and
   ``headers`` for API keys); uploads: ``upload="file"`` and ``upload_variants``. A second
   entry for the same URL (a GET prefill, a second step) gets a ``variant`` label.
3. Run ``pytest tests/hardening`` on SQLite and PostgreSQL. A 500 or a partial change it
   reports is a bug: fix the view with a German message and add a regression test to
   ``test_bad_input_causes.py``.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from drafts.models import StrategyDraft
from evaluation.models import CollectionRound, Measurement
from measures.models import Status
from measures.review import ReviewState, transition_to
from pages.models import AccessibilityStatement, LegalPage
from tests.evaluation.factories import IndicatorFactory
from tests.factories import GoalFactory, MeasureFactory, PartnershipFactory, UserFactory

MISSING = object()  # the field is left out of the request
INVALID_UTF8 = b"\xff\xfe\xc3(\xa0"

# Every value class the issue names. Callables get the World (foreign ids).
VALUES = {
    "empty": "",
    "blank": "   ",
    "huge": "x" * 100_000,
    "nul": "ab\x00cd",
    "invalid-utf8": INVALID_UTF8,
    "not-a-number": "zwölf",
    "nan": "NaN",
    "exponent": "1e999",
    "overflow": "9" * 30,
    "negative-overflow": "-" + "9" * 20,
    "negative": "-1",
    "year-1": "0001-01-01",
    "year-9999": "9999-12-31",
    "month-9999": "9999-12",
    "foreign-id": lambda world: str(world.foreign_id),
    "missing": MISSING,
    "duplicated": lambda world: ["1", "ab\x00cd"],
}

ALL_ROLES = ("anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator")
ROLES = (*ALL_ROLES, "council")
EDITORS_OF_HITZACKER = ("editor_own", "samtgemeinde_editor", "coordinator")
ANY_EDITOR = ("editor_own", "editor_other", "samtgemeinde_editor", "coordinator")
INTERNAL = ("editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council")


@dataclass
class World:
    """The data every form is tried against: Hitzacker's measure and what hangs on it."""

    district: dict
    users: dict
    measure: object
    other_measure: object
    indicator: object
    measurement: object
    goal: object
    draft: object
    frozen_draft: object
    round: object
    foreign_id: int = 0
    extra: dict = field(default_factory=dict)

    def watched(self):
        """The rows the forms edit, as querysets: compared in full before and after."""
        from drafts.adoption_models import CouncilDecision, DecisionProcedure, DeliberationStep
        from drafts.models import FieldIntroduction
        from evaluation.models import Indicator
        from fields_of_action.models import Goal
        from measures.models import Measure, Partnership

        return {
            "measures": Measure.objects.filter(pk__in=[self.measure.pk, self.other_measure.pk]),
            "partnerships": Partnership.objects.all(),
            "indicators": Indicator.objects.all(),
            "measurements": Measurement.objects.all(),
            "goals": Goal.objects.filter(pk=self.goal.pk),
            "drafts": StrategyDraft.objects.all(),
            "introductions": FieldIntroduction.objects.all(),
            "rounds": CollectionRound.objects.all(),
            "procedures": DecisionProcedure.objects.all(),
            "steps": DeliberationStep.objects.all(),
            "decisions": CouncilDecision.objects.all(),
        }


def build_world(district, users):
    hitzacker, gorleben = district["hitzacker"], district["gorleben"]
    goal = GoalFactory(title="Alle Anträge online")
    measure = MeasureFactory(
        lead_municipality=hitzacker,
        title="Online-Anträge im Bürgerbüro",
        status=Status.IN_PROGRESS,
        budget_planned=Decimal("12500"),
    )
    measure.goals.add(goal)
    PartnershipFactory(measure=measure, municipality=district["dannenberg"])
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    measure.refresh_from_db()
    other = MeasureFactory(lead_municipality=gorleben, title="Digitale Bauakte")
    # An accepted measure, so that a draft can be frozen.
    transition_to(other, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(other, ReviewState.ACCEPTED, users["coordinator"])
    other.refresh_from_db()
    indicator = IndicatorFactory(measure=measure, name="Anteil Online-Anträge")
    IndicatorFactory(measure=other, name="Digitale Akten")
    measurement = Measurement.objects.create(
        indicator=indicator, period=datetime.date(2025, 1, 1), value=Decimal("12"), origin="manual"
    )
    draft = StrategyDraft.objects.create(
        title="Digitalstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 3, 1),
    )
    frozen = StrategyDraft.objects.create(
        title="Digitalstrategie",
        version_label="Entwurf 0",
        resolution_date=datetime.date(2025, 3, 1),
        state="published",
        snapshot={"measures": [], "frozen_at": "2025-02-01T09:00:00+00:00"},
    )
    collection_round = CollectionRound.objects.create(
        title="Erhebung 2026",
        period=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 3, 31),
        opened_by=users["coordinator"],
    )
    world = World(
        district=district,
        users=users,
        measure=measure,
        other_measure=other,
        indicator=indicator,
        measurement=measurement,
        goal=goal,
        draft=draft,
        frozen_draft=frozen,
        round=collection_round,
        foreign_id=gorleben.pk,
        # Asks for a new password; nobody logs in as this user, so the token stays valid.
        extra={"forgetful": UserFactory(username="vergesslich", email="vergesslich@example.org")},
    )
    _build_more(world)
    return world


def _build_more(world):
    """What the apps merged after the first battery need: people, pages, API keys, the
    register, the Abstimmung, a pending measure import, a login lockout."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    from api.models import ApiToken
    from drafts.consultation import open_consultation
    from drafts.workflow import freeze
    from measures.exchange.csv_format import write_csv
    from measures.exchange.sheets import build_export
    from measures.models import Measure, MeasureImport
    from municipalities.models import Role
    from pages.models import AccessibilityFeedback
    from people import services as people
    from procedures.models import (
        Category,
        OnlineStatus,
        OperatingModel,
        ProcedureEntry,
        Service,
        ServiceOffer,
    )

    district, users, extra = world.district, world.users, world.extra
    coordinator = users["coordinator"]
    hitzacker, gorleben = district["hitzacker"], district["gorleben"]
    # The Abstimmung: one frozen draft consulted, one frozen draft not yet.
    consulted = StrategyDraft.objects.create(
        title="Digitalstrategie",
        version_label="Entwurf 3",
        resolution_date=datetime.date(2027, 3, 1),
    )
    consulted = freeze(consulted, coordinator, render=False)
    today = timezone.localdate()
    from evaluation.models import ProgressReport, ReportingRound

    extra["reporting_round"] = ReportingRound.objects.create(
        title="Sachstandsbericht", deadline=today + datetime.timedelta(days=30)
    )
    extra["report"] = ProgressReport.objects.create(
        title="Sachstandsbericht 2026",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    extra["consultation"] = open_consultation(
        consulted, coordinator, today + datetime.timedelta(days=14)
    )
    extra["consulted"] = consulted
    extra["snapshot_measure"] = consulted.snapshot["measures"][0]["id"]
    openable = StrategyDraft.objects.create(
        title="Digitalstrategie",
        version_label="Entwurf 4",
        resolution_date=datetime.date(2027, 3, 1),
    )
    extra["openable"] = freeze(openable, coordinator, render=False)
    # Issue 20: a presented version with its deciding bodies, Hitzacker and Gorleben added.
    from drafts import adoption

    presented = StrategyDraft.objects.create(
        title="Digitalstrategie",
        version_label="Entwurf 5",
        resolution_date=datetime.date(2027, 3, 1),
        state="published",
        published_at=timezone.now() - datetime.timedelta(days=30),
        snapshot={"measures": [], "frozen_at": "2025-02-01T09:00:00+00:00"},
    )
    adoption.set_up(presented, coordinator)
    extra["presented"] = presented
    extra["procedure"] = adoption.add_body(presented, coordinator, hitzacker)
    extra["foreign_procedure"] = adoption.add_body(presented, coordinator, gorleben)
    # People: an invited person (open invitation), a deactivated one.
    invitee, token = people.invite(
        actor=coordinator,
        first_name="Ina",
        last_name="Neu",
        email="ina.neu@example.org",
        municipality=gorleben,
        role=Role.EDITOR,
    )
    extra.update(invitee=invitee, invitation_token=token)
    extra["membership"] = invitee.memberships.get()
    extra["inactive"] = UserFactory(username="ehemalig", is_active=False)
    # Pages: an accessibility report.
    extra["feedback"] = AccessibilityFeedback.objects.create(message="Kontrast zu schwach.")
    # API keys of Hitzacker and Gorleben.
    extra["token"], extra["secret"] = ApiToken.issue(hitzacker, "Fachverfahren", coordinator)
    extra["foreign_token"], extra["foreign_secret"] = ApiToken.issue(
        gorleben, "Fachverfahren Gorleben", coordinator
    )
    # The register: two services, an entry and an offer of Hitzacker, an entry of Gorleben.
    category = Category.objects.order_by("position").first()
    service = Service.objects.create(leika_key="99050012104000", name="Gewerbeanmeldung")
    extra["free_service"] = Service.objects.create(
        leika_key="99050012105000", name="Gewerbeummeldung"
    )
    extra["category"] = category
    extra["entry"] = ProcedureEntry.objects.create(
        municipality=hitzacker,
        category=category,
        product="ALLRIS",
        vendor="CC e-gov",
        operating_model=OperatingModel.SAAS,
    )
    extra["foreign_entry"] = ProcedureEntry.objects.create(
        municipality=gorleben,
        category=category,
        product="SessionNet",
        operating_model=OperatingModel.SAAS,
    )
    extra["offer"] = ServiceOffer.objects.create(
        municipality=hitzacker, service=service, status=OnlineStatus.PLANNED
    )
    extra["foreign_offer"] = ServiceOffer.objects.create(
        municipality=gorleben, service=service, status=OnlineStatus.PLANNED
    )
    # A measures export (the valid import) and an upload waiting for its confirmation.
    exported = build_export(Measure.objects.filter(pk=world.measure.pk))
    extra["measures_csv"] = write_csv(exported.measure_columns, exported.measures).encode()
    extra["measure_import"] = MeasureImport.objects.create(
        user=users["editor_own"], filename="massnahmen.csv", data=extra["measures_csv"]
    )
    # Issue 11/8 §4: a never-submitted measure of Hitzacker (and one of Gorleben) to delete, a
    # partnership request to Gorleben to answer (and one to Dannenberg it may not answer).
    from measures.models import Partnership, PartnershipState

    extra["draft_measure"] = MeasureFactory(lead_municipality=hitzacker, title="Testeintrag")
    extra["foreign_draft_measure"] = MeasureFactory(
        lead_municipality=gorleben, title="Fremder Testeintrag"
    )
    asking = MeasureFactory(lead_municipality=hitzacker, title="Gemeinsame Dorf-App")
    extra["request"] = Partnership.objects.create(
        measure=asking, municipality=gorleben, state=PartnershipState.REQUESTED
    )
    # Asked: the Samtgemeinde Gartow, for which none of the test editors may answer.
    extra["foreign_request"] = Partnership.objects.create(
        measure=world.other_measure,
        municipality=district["gartow"],
        state=PartnershipState.REQUESTED,
    )
    # A login lockout of the username "gesperrt".
    AccessAttempt.objects.create(
        username="gesperrt",
        ip_address="192.0.2.1",
        user_agent="Test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )


@dataclass
class Form:
    """One form-handling URL. ``data(world)`` is valid input; ``fields`` are attacked."""

    url_name: str
    roles: tuple
    data: object = lambda world: {}
    args: object = lambda world: []
    method: str = "post"
    upload: str | None = None  # the file field of an upload form
    # URL args of an object the roles may not touch (another body's measure, ...).
    foreign_args: object = None
    # The page that shows the form (GET), whose input names must all be attacked.
    shows_form: bool = True
    # Input names rendered on the form page that are not part of this form.
    not_attacked: tuple = ()
    # Called with (client, world) before the request, returns the URL to post to.
    prepare: object = None
    # Log in afresh for every case (forms that log in or out, or change the password).
    fresh_client: bool = False
    # False where the world refuses even valid data (say why at the entry).
    valid_taken: bool = True
    # A second entry for the same URL (a GET prefill of a POST form, a second step).
    variant: str = ""
    # ``upload_variants(world)``: [(label, filename, content)], the first one valid.
    upload_variants: object = None
    # Further file fields of an upload form: each gets the bad files, the others valid.
    more_uploads: tuple = ()
    # ``accepts(response)``: did the view take the input (default: see test_battery.accepted).
    accepts: object = None
    # ``headers(world, role)``: extra request headers (an API key), {} for a session.
    headers: object = None

    @property
    def id(self):
        return f"{self.url_name} {self.variant}".strip()

    def fields(self, world):
        """The attacked fields: every field of the valid data (an action: a stray field)."""
        return list(self.data(world)) or ["next"]


def measure_data(world, measure=None):
    data = {
        "title": "Digitaler Bauantrag",
        "summary": "Bauanträge online stellen.",
        "description": "Ausführlich.",
        "lead_municipality": str(world.district["hitzacker"].pk),
        "field_of_action": str(world.goal.field_of_action_id),
        "goals": str(world.goal.pk),
        "for_citizens": "on",
        "for_businesses": "",
        "for_administration": "",
        "status": "in_progress",
        "priority": "medium",
        "planned_start": "2027-01",
        "planned_end": "2027-12",
        "task_kind": "voluntary",
        "budget_product": "11.1.01",
        "funding_source": "Eigenmittel",
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "1000",
        "costs-0-id": "",
        "costs-0-measure": str(measure.pk) if measure else "",
        "costs-0-year": "2027",
        "costs-0-investment_planned": "10.000,00",
        "costs-0-investment_actual": "",
        "costs-0-running_planned": "2.500,00",
        "costs-0-running_actual": "100",
        "costs-0-staff_fte_planned": "0,5",
        "costs-0-staff_fte_actual": "",
        "costs-0-follow_up_planned": "",
        "costs-0-DELETE": "",
        "contact_name": "Erika Muster",
        "contact_role": "Bürgerbüro",
        "contact_email": "erika@example.org",
        "leika_key": "99050012104000",
        "version": str(measure.version) if measure else "",
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "1000",
        "partners-0-id": "",
        "partners-0-measure": "",
        "partners-0-municipality": str(world.district["gorleben"].pk),
        "partners-0-cost_share_percent": "25",
        "partners-0-DELETE": "",
        "partners-1-id": "",
        "partners-1-measure": "",
        "partners-1-municipality": "",
        "partners-1-cost_share_percent": "",
        "partners-1-DELETE": "",
    }
    if measure is not None:
        partnership = measure.partnerships.get()
        data.update(
            {
                "partners-TOTAL_FORMS": "3",
                "partners-INITIAL_FORMS": "1",
                "partners-2-id": "",
                "partners-2-measure": str(measure.pk),
                "partners-2-municipality": "",
                "partners-2-cost_share_percent": "",
                "partners-0-id": str(partnership.pk),
                "partners-0-measure": str(measure.pk),
                "partners-0-municipality": str(partnership.municipality_id),
            }
        )
    return data


def funding_data(world):
    from measures.models import FundingProgramme
    from measures.views.funding import funding_token

    return {
        "loaded_funding": funding_token(world.measure),
        "funding-TOTAL_FORMS": "1",
        "funding-INITIAL_FORMS": "0",
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "1000",
        "funding-0-id": "",
        "funding-0-measure": "",
        "funding-0-programme": str(FundingProgramme.objects.order_by("pk").first().pk),
        "funding-0-year": "2027",
        "funding-0-rate_percent": "50",
        "funding-0-amount": "4.000,00",
        "funding-0-state": "approved",
        "funding-0-applied_on": "2026-11-02",
        "funding-0-decided_on": "2027-02-01",
        "funding-0-settled_on": "",
        "funding-0-proof_due": "2028-06-30",
        "funding-0-DELETE": "",
    }


def programme_data(world):
    from measures.models import FundingProgramme

    programmes = list(FundingProgramme.objects.order_by("name"))
    data = {
        "form-TOTAL_FORMS": str(len(programmes) + 1),
        "form-INITIAL_FORMS": str(len(programmes)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, programme in enumerate(programmes):
        data.update(
            {
                f"form-{i}-id": str(programme.pk),
                f"form-{i}-name": programme.name,
                f"form-{i}-funder": programme.funder,
                f"form-{i}-url": programme.url,
                f"form-{i}-is_active": "on",
            }
        )
    last = len(programmes)
    data.update(
        {
            f"form-{last}-id": "",
            f"form-{last}-name": "Kreiseigene Förderung",
            f"form-{last}-funder": "Landkreis",
            f"form-{last}-url": "https://www.example.org/",
            f"form-{last}-is_active": "on",
        }
    )
    return data


def indicator_data(world):
    return {
        "name": "Anteil online gestellter Anträge",
        "description": "Anteil der Anträge, die online eingehen.",
        "unit": "%",
        "kind": "effect",
        "direction": "increase",
        "baseline_value": "12,5",
        "baseline_date": "2025-01-01",
        "target_value": "60",
        "target_date": "2028-12-31",
        "frequency": "yearly",
        "source_kind": "manual",
        "source_url": "",
        "json_path": "",
        "genesis_table": "",
        "portal_metric": "share_completed",
        "ags": "",
        "source_note": "eigene Zählung",
        "coverage_service": "",  # only for the coverage metrics
        "coverage_topic": "",
        "plausible_min": "",  # empty: the default range of the unit
        "plausible_max": "",
        "loaded_version": world.indicator.updated_at.isoformat(),
    }


def draft_data(world):
    data = {
        "title": "Digitalstrategie",
        "version_label": "Entwurf 2",
        "resolution_date": "2026-03-01",
        "deadline": "",
        "introduction": "Einleitung.",
        "proposed_resolution": "Der Kreistag beschließt die Digitalstrategie.",
        "easy_read_summary": "Der Landkreis wird digital.",
        "loaded_version": world.draft.updated_at.isoformat(),
    }
    for number in range(1, 7):
        data[f"intro_{number}"] = f"Einleitung {number}"
    return data


def round_entry_data(world):
    pk = world.indicator.pk
    return {f"value_{pk}": "17,5", f"note_{pk}": "gezählt"}


def _bearer(secret_key):
    """API key headers for the roles that push with a key; the others use their session."""

    def headers(world, role):
        if role == "editor_own":
            return {"HTTP_AUTHORIZATION": f"Bearer {world.extra[secret_key]}"}
        if role == "editor_other":
            return {"HTTP_AUTHORIZATION": f"Bearer {world.extra['foreign_secret']}"}
        return {}

    return headers


def consultation_data(world):
    return {
        "municipality": str(world.district["hitzacker"].pk),
        "stance": "agree_with_remarks",
        "text": "Wir stimmen zu, mit einer Anmerkung.",
        "remarks-TOTAL_FORMS": "3",
        "remarks-INITIAL_FORMS": "0",
        "remarks-MIN_NUM_FORMS": "0",
        "remarks-MAX_NUM_FORMS": "100",
        "remarks-0-measure": str(world.extra["snapshot_measure"]),
        "remarks-0-text": "Bitte den Zeitplan prüfen.",
        "remarks-1-measure": "",
        "remarks-1-text": "",
        "remarks-2-measure": "",
        "remarks-2-text": "",
    }


def consultation_group_data(world):
    """A Samtgemeinde's editor: its position and its members' in one form."""
    hitzacker, dannenberg = world.district["hitzacker"].pk, world.district["dannenberg"].pk
    data = consultation_data(world)
    del data["municipality"]
    data.update(
        {
            "samtgemeinde": str(world.district["elbtalaue"].pk),
            f"mitglied-{hitzacker}-stance": "same",
            f"mitglied-{hitzacker}-text": "",
            f"mitglied-{dannenberg}-stance": "object",
            f"mitglied-{dannenberg}-text": "Der Rat der Stadt hat abgelehnt.",
        }
    )
    return data


def consultation_on_behalf_data(world):
    """The coordinator: a body's position on its behalf, with its source."""
    data = consultation_data(world)
    data.update(
        {
            # Samtgemeinde Gartow has no editor: only the coordinator may enter its position.
            "municipality": str(world.district["gartow"].pk),
            "quelle-source_kind": "letter",
            "quelle-source_date": str(datetime.date.today() - datetime.timedelta(days=2)),
        }
    )
    return data


def procedure_data(world):
    """A body's Vorlage number, Beschlussvorschlag and a Beratungsfolge of two steps."""
    from core.locking import version_token

    procedure = world.extra["procedure"]
    procedure.refresh_from_db()
    return {
        "document_number": "V-2027/12",
        "proposed_resolution": "Der Rat beschließt die Digitalstrategie.",
        "loaded_version": version_token(procedure),
        "schritte-TOTAL_FORMS": "3",
        "schritte-INITIAL_FORMS": "0",
        "schritte-MIN_NUM_FORMS": "0",
        "schritte-MAX_NUM_FORMS": "12",
        "schritte-0-committee": "Verwaltungsausschuss",
        "schritte-0-meeting_date": "2027-04-01",
        "schritte-0-public": "",
        "schritte-0-role": "advises",
        "schritte-0-DELETE": "",
        "schritte-1-committee": "Rat der Stadt",
        "schritte-1-meeting_date": "2027-04-15",
        "schritte-1-public": "on",
        "schritte-1-role": "decides",
        "schritte-1-DELETE": "",
        "schritte-2-committee": "",
        "schritte-2-meeting_date": "",
        "schritte-2-public": "on",
        "schritte-2-role": "advises",  # the empty row as rendered
        "schritte-2-DELETE": "",
    }


def extract_variants(world):
    """The bad files of the Beschlussauszug upload (a PDF of at most 20 MB)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    good = out.getvalue()
    return [
        *file_variants(good, "beschluss.pdf", b"%PDF-1.7", 20 * 1024 * 1024),
        ("pdf-header-only", "beschluss.pdf", b"%PDF-1.7\n%%EOF\n"),
        ("truncated-pdf", "beschluss.pdf", good[: len(good) // 2]),
    ]


def entry_data(world, entry=None):
    return {
        "category": str(world.extra["category"].pk),
        "product": "OK.EWO" if entry is None else "ALLRIS net",
        "vendor": "AKDB",
        "version": "4.2",
        "operating_model": "provider",
        "provider_name": "ITEBO",
        "contract_end": "2028-06-30",
        "notice_period_months": "6",
        "annual_cost": "4.321,50",
        "user_count": "12",
        "standards": "XMeld",
        "services": str(world.extra["free_service"].pk),
        "satisfaction": "4",
        "remarks": "läuft stabil",
        "loaded_version": entry.updated_at.isoformat() if entry is not None else "",
    }


def offer_data(world, offer=None):
    data = {
        "service": str(world.extra["free_service"].pk),
        "status": "online",
        "url": "https://example.org/gewerbe",
        "portal": "Serviceportal Niedersachsen",
        "procedure": str(world.extra["entry"].pk),
        "remarks": "seit 2026",
        "loaded_version": offer.updated_at.isoformat() if offer is not None else "",
    }
    if offer is not None:
        del data["service"]  # shown but disabled: the service of an offer never changes
    return data


def accessibility_data(world):
    return {
        "conformity": "teilweise",
        "shortcomings": "Einige Diagramme haben noch keine Textfassung.",
        "method": "Selbstbewertung",
        "prepared_on": "2026-01-15",
        "reviewed_on": "2026-06-30",
        "feedback_email": "barrierefrei@example.org",
        "conciliation": "Schlichtungsstelle nach dem NBGG.",
        "loaded_version": _token_of(AccessibilityStatement),
    }


def _token_of(model, **lookup):
    """The concurrent-edit token of the row a form edits ("" while it is not stored yet)."""
    from core.locking import version_token

    row = model.objects.filter(**lookup).first()
    return version_token(row) if row is not None else ""


def file_variants(good, name, header, max_bytes):
    """The bad files of an upload whose valid file is ``good`` (first: the valid one)."""
    stem, dot, suffix = name.rpartition(".")
    return [
        ("valid", name, good),
        ("empty", name, b""),
        ("binary", name, bytes(range(256)) * 40),
        ("png", "bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("zip-not-xlsx", f"{stem}.xlsx", b"PK\x03\x04" + b"\x00" * 300),
        ("invalid-utf8", name, header + b"\n\xff\xfe;2026;1\n"),
        ("nul-bytes", name, good.replace(b";", b";\x00", 3)),
        ("huge-line", name, header + b"\n" + b"1" * 300_000 + b";2026;1\n"),
        ("huge-header", name, b"x" * 1_000_000 + b"\n"),
        ("too-large", name, good + b"1;2026;1\n" * (max_bytes // 9 + 1)),
        ("only-header", name, header + b"\n"),
        ("nul-in-filename", f"{stem}\x00x{dot}{suffix}", good),
        ("huge-filename", "w" * 10_000 + dot + suffix, good),
        ("many-columns", name, good.rstrip(b"\n") + b";x" * 50_000 + b"\n"),
    ]


def measures_import_variants(world):
    good = world.extra["measures_csv"]
    header, row = good.rstrip(b"\r\n").split(b"\n", 1)
    xlsx = _measures_xlsx(world)
    return [
        *file_variants(good, "massnahmen.csv", header, 5_000_000),
        *hostile_workbooks(xlsx, "massnahmen.xlsx"),
        *csv_archives(world),
        # One row over the limit of 5,000 (the same row: refused before any row is checked).
        ("5001-rows", "massnahmen.csv", header + b"\n" + (row + b"\n") * 5001),
        # 5,000 new measures: stored and checked in the background, the request stays short.
        ("5000-rows", "massnahmen.csv", _new_measures(header, row, 5000)),
    ]


def csv_archives(world):
    """The zip archive of CSV files (with cost plan and funding) and bad ones."""
    import io
    import zipfile

    from measures.exchange.csv_format import write_zip
    from measures.exchange.sheets import Lookups, build_export
    from measures.models import Measure
    from tests import hostile_xlsx

    lookups = Lookups()
    exported = build_export(Measure.objects.filter(pk=world.measure.pk), lookups=lookups)
    good = write_zip(exported, "massnahmen")

    def archive(members):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as files:
            for member, content in members.items():
                files.writestr(member, content)
        return buffer.getvalue()

    return [
        ("zip-of-csv", "massnahmen.zip", good),
        ("zip-broken", "massnahmen.zip", b"PK\x03\x04" + b"\x00" * 300),
        ("zip-bomb-of-csv", "massnahmen.zip", hostile_xlsx.zip_bomb(good, 30_000_000)),
        ("zip-many-members", "massnahmen.zip", hostile_xlsx.many_members(good, 50)),
        ("zip-without-measures", "massnahmen.zip", archive({"x_kostenplan.csv": b"a;b\n"})),
        ("zip-two-measure-files", "massnahmen.zip", archive({"a.csv": b"x", "b.csv": b"y"})),
        ("zip-nul-bytes", "massnahmen.zip", archive({"m.csv": b"ID;Titel\n\x00;\x00\n"})),
    ]


def register_import_variants(world):
    from procedures import transfer

    good = transfer.export_bytes("csv")
    header = good.split(b"\n", 1)[0]
    return [
        *file_variants(good, "fachverfahren.csv", header, 50 * 1024 * 1024),
        *hostile_workbooks(transfer.export_bytes("xlsx"), "fachverfahren.xlsx"),
        ("5000-rows", "fachverfahren.csv", _register_rows(header, 5000)),
    ]


def _new_measures(header, row, count):
    """``count`` copies of the exported row as new measures (ID and version left empty)."""
    cells = row.split(b";")
    rows = [b";".join([b"", b"", b"Neu " + str(i).encode(), *cells[3:]]) for i in range(count)]
    return header + b"\n" + b"\n".join(rows) + b"\n"


def _measures_xlsx(world):
    from measures.exchange.sheets import Lookups, build_export
    from measures.exchange.xlsx_format import write_xlsx
    from measures.models import Measure

    lookups = Lookups()
    return write_xlsx(
        build_export(Measure.objects.filter(pk=world.measure.pk), lookups=lookups), lookups
    )


def hostile_workbooks(xlsx, name):
    """XML entities (XXE, "billion laughs"), a 600 MB zip bomb, thousands of zip members."""
    from tests import hostile_xlsx

    return [
        ("xxe", name, hostile_xlsx.xxe(xlsx)),
        ("billion-laughs", name, hostile_xlsx.billion_laughs(xlsx)),
        ("zip-bomb", name, _zip_bomb(xlsx)),
        ("many-zip-members", name, hostile_xlsx.many_members(xlsx)),
    ]


@functools.cache
def _zip_bomb(xlsx):
    from tests import hostile_xlsx

    return hostile_xlsx.zip_bomb(xlsx, 600_000_000)  # ~600 KB; built once per file


def _register_rows(header, count):
    """``count`` new, valid register rows (Hitzacker's procedures 0 … count-1)."""
    from procedures import transfer

    columns = transfer.COLUMNS
    rows = [header.decode("utf-8-sig")]
    for index in range(count):
        row = dict.fromkeys(columns, "")
        row.update(
            {
                "ARS": "033545406009",
                "Kategorie": "Finanzwesen",
                "Produkt": f"Verfahren {index}",
                "Betrieb": "eigener Betrieb vor Ort",
            }
        )
        rows.append(";".join(row[c] for c in columns))
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def video_variants(world):
    from django.conf import settings

    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500
    return [
        ("valid", "gebaerden.mp4", mp4),
        ("empty", "gebaerden.mp4", b""),
        ("webm", "gebaerden.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 500),
        ("not-a-video", "gebaerden.mp4", b"<html>kein Video</html>"),
        ("wrong-suffix", "gebaerden.exe", mp4),
        ("png", "bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("nul-in-filename", "gebaer\x00den.mp4", mp4),
        ("huge-filename", "g" * 10_000 + ".mp4", mp4),
        ("dot-dot-filename", "../../etc/passwd.mp4", mp4),
        ("too-large", "gebaerden.mp4", mp4 + b"\x00" * settings.PAGES_VIDEO_MAX_BYTES),
    ]


def _status(code):
    return lambda response: response.status_code == code


def _reset_confirm(client, world):
    user = world.extra["forgetful"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(f"/accounts/reset/{uid}/{token}/")
    return response["Location"]  # .../set-password/, the token is now in the session


FORMS = [
    Form(
        "measures:list",
        ROLES,
        method="get",
        data=lambda w: {
            "q": "Antrag",
            "field": "1",
            "municipality": "hitzacker-elbe",
            "status": "in_progress",
            "review": "submitted",  # internal users only
            "vorgelegt": "1",  # once a Vorlage was laid before the Kreistag
            "sort": "title",
            "page": "1",
        },
        not_attacked=("field",),  # rendered as the slug select; attacked under its name
    ),
    Form(
        "evaluation:export",
        ROLES,
        method="get",
        data=lambda w: {"massnahme": str(w.measure.pk), "indikator": str(w.indicator.pk)},
        shows_form=False,
    ),
    Form(
        "measures:create",
        ANY_EDITOR,
        data=measure_data,
    ),
    Form(
        "measures:update",
        EDITORS_OF_HITZACKER,
        data=lambda w: measure_data(w, w.measure),
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
    ),
    Form(
        "measures:funding",
        EDITORS_OF_HITZACKER,
        data=funding_data,
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
    ),
    Form(
        "measures:funding_programmes",
        ("coordinator",),
        data=programme_data,
    ),
    Form(
        "procedures:service_search",
        ANY_EDITOR,
        method="get",
        data=lambda w: {"q": "Wohnsitz"},
        shows_form=False,
    ),
    Form(
        "measures:funding_due",
        INTERNAL,
        method="get",
        data=lambda w: {"kommune": "hitzacker-elbe"},
        shows_form=False,
    ),
    Form(
        "measures:transition",
        ("editor_own", "coordinator"),
        data=lambda w: {
            "target": "changes_requested",
            "comment": "Bitte ergänzen.",
            "next": "",
            "version": str(w.measure.version),  # the version decided on (stale: 409)
        },
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
        shows_form=False,
    ),
    Form(
        "measures:comment",
        EDITORS_OF_HITZACKER,
        data=lambda w: {"text": "Eine Rückfrage."},
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
        shows_form=False,
    ),
    Form(
        "evaluation:indicator_create",
        EDITORS_OF_HITZACKER,
        data=indicator_data,
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
    ),
    Form(
        "evaluation:indicator_update",
        EDITORS_OF_HITZACKER,
        data=indicator_data,
        args=lambda w: [w.indicator.pk],
        foreign_args=lambda w: [w.other_measure.indicators.get().pk],
    ),
    Form(
        "evaluation:indicator_delete",
        EDITORS_OF_HITZACKER,
        args=lambda w: [w.indicator.pk],
        foreign_args=lambda w: [w.other_measure.indicators.get().pk],
    ),
    Form(
        "evaluation:measurement_save",
        EDITORS_OF_HITZACKER,
        data=lambda w: {"period": "2026", "value": "13,5", "note": "Zählung"},
        args=lambda w: [w.indicator.pk],
        foreign_args=lambda w: [w.other_measure.indicators.get().pk],
        shows_form=False,
    ),
    Form(
        "evaluation:gather_indicator",
        EDITORS_OF_HITZACKER,
        args=lambda w: [w.indicator.pk],
        foreign_args=lambda w: [w.other_measure.indicators.get().pk],
        shows_form=False,
    ),
    Form(
        "evaluation:measurement_delete",
        EDITORS_OF_HITZACKER,
        args=lambda w: [w.measurement.pk],
        shows_form=False,
    ),
    Form("evaluation:import", ANY_EDITOR, upload="file"),
    Form("evaluation:gather_all", ("coordinator",), shows_form=False),
    Form(
        "evaluation:assessment_create",
        EDITORS_OF_HITZACKER,
        data=lambda w: {
            "assessed_on": "2026-01-15",
            "initial-assessed_on": "2026-01-15",
            "verdict": "partly",
            "justification": "Steigt langsamer als geplant.",
        },
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
    ),
    Form(
        "evaluation:round_list",
        ("coordinator",),
        data=lambda w: {
            "title": "Erhebung 2027",
            "period": "2027-01-01",
            "deadline": "2027-03-31",
            "message": "Bitte bis Ende März.",
        },
    ),
    Form("evaluation:round_close", ("coordinator",), args=lambda w: [w.round.pk], shows_form=False),
    Form(
        "evaluation:progress_create",
        # A Sachstand comes from the body itself (municipalities.acting), or on its behalf.
        ("editor_own", "samtgemeinde_editor"),
        data=lambda w: {
            "noted_on": "2026-01-15",
            "initial-noted_on": "2026-01-15",
            "status": "in_progress",
            "percent_done": "40",
            "text": "Die Schnittstelle zum Fachverfahren ist in Arbeit.",
        },
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
    ),
    Form(
        "evaluation:progress_create",
        # The coordinator writes it on the body's behalf, with the source it relies on; the
        # body's own editors write it themselves (the source fields are not theirs).
        ("coordinator", "editor_own", "samtgemeinde_editor"),
        data=lambda w: {
            "on_behalf_source": "letter",
            "on_behalf_date": "2026-01-10",
            "noted_on": "2026-01-15",
            "initial-noted_on": "2026-01-15",
            "status": "in_progress",
            "percent_done": "40",
            "text": "Die Schnittstelle zum Fachverfahren ist in Arbeit.",
        },
        args=lambda w: [w.measure.pk],
        variant="on behalf",
    ),
    Form(
        "evaluation:reporting_rounds",
        ("coordinator",),
        data=lambda w: {
            "title": "Sachstandsbericht 2027",
            "period_start": "2027-01-01",
            "initial-period_start": "2027-01-01",
            "period_end": "2027-12-31",
            "initial-period_end": "2027-12-31",
            "deadline": "2099-01-31",
            "message": "Bitte je Maßnahme ein paar Sätze.",
        },
    ),
    Form(
        "evaluation:report_present",
        ("coordinator",),
        args=lambda w: [w.extra["report"].pk],
        valid_taken=False,  # needs a rendered PDF; the battery renders none
    ),
    Form(
        "evaluation:reporting_round_close",
        ("coordinator",),
        args=lambda w: [w.extra["reporting_round"].pk],
        shows_form=False,
    ),
    Form(
        "evaluation:round_entry",
        EDITORS_OF_HITZACKER,
        data=round_entry_data,
        args=lambda w: [w.round.pk, "hitzacker-elbe"],
        foreign_args=lambda w: [w.round.pk, "gorleben"],
    ),
    Form(
        "fields_of_action:goal_create",
        ("coordinator",),
        data=lambda w: {
            "title": "Neues Ziel",
            "description": "Beschreibung",
            "position": "3",
            "save": "Ziel speichern",
            "loaded_version": "",
        },
        args=lambda w: [w.goal.field_of_action.slug],
    ),
    Form(
        "fields_of_action:goal_update",
        ("coordinator",),
        data=lambda w: {
            "title": "Geändertes Ziel",
            "description": "Neu",
            "position": "2",
            "save": "Ziel speichern",
            "loaded_version": w.goal.updated_at.isoformat(),
        },
        args=lambda w: [w.goal.pk],
    ),
    Form("drafts:create", ("coordinator",), data=draft_data),
    Form("drafts:update", ("coordinator",), data=draft_data, args=lambda w: [w.draft.pk]),
    Form("drafts:freeze", ("coordinator",), args=lambda w: [w.draft.pk], shows_form=False),
    Form("drafts:render", ("coordinator",), args=lambda w: [w.frozen_draft.pk], shows_form=False),
    Form(
        "drafts:publish",
        ("coordinator",),
        args=lambda w: [w.draft.pk],
        shows_form=False,
        valid_taken=False,  # needs a rendered PDF; the battery renders none
    ),
    Form(
        "drafts:decision",
        ("coordinator",),
        data=lambda w: {
            "decision_date": "2026-06-01",
            "drucksache_number": "2026/017",
            "loaded_version": _token_of(StrategyDraft, pk=w.frozen_draft.pk),
        },
        args=lambda w: [w.frozen_draft.pk],
        shows_form=False,
    ),
    Form(
        "login",
        ("anonymous",),
        data=lambda w: {"username": "hitzacker", "password": "geheim-123", "next": "/"},
        fresh_client=True,
    ),
    Form("logout", INTERNAL, shows_form=False, fresh_client=True),
    Form(
        "password_change",
        INTERNAL,
        data=lambda w: {
            "old_password": "geheim-123",
            "new_password1": "ein-neues-Passwort-2027",
            "new_password2": "ein-neues-Passwort-2027",
        },
        fresh_client=True,
    ),
    Form(
        "password_reset",
        ("anonymous",),
        data=lambda w: {"email": "hitzacker@example.org"},
        fresh_client=True,
    ),
    Form(
        "password_reset_confirm",
        data=lambda w: {
            "new_password1": "ein-neues-Passwort-2027",
            "new_password2": "ein-neues-Passwort-2027",
        },
        roles=ROLES,  # whoever holds the link, also when logged in as someone else
        prepare=_reset_confirm,
        fresh_client=True,
    ),
]

# --- apps merged after the first battery ------------------------------------------------------
HITZACKER = lambda w: ["hitzacker-elbe"]  # noqa: E731
GORLEBEN = lambda w: ["gorleben"]  # noqa: E731
MEASURE_FILTER = {
    "q": "Antrag",
    "field": "1",
    "municipality": "hitzacker-elbe",
    "status": "in_progress",
    "sort": "title",
}

FORMS += [
    # measures: Excel/CSV exchange
    Form(
        "measures:export",
        ROLES,
        method="get",
        data=lambda w: {**MEASURE_FILTER, "vorlage": ""},
        args=lambda w: ["csv"],
        shows_form=False,
    ),
    Form(
        "measures:import",
        ANY_EDITOR,
        upload="file",
        more_uploads=("partners_file",),
        upload_variants=measures_import_variants,
        # The dry run (preview); a large file goes to the page of its background check.
        accepts=lambda response: response.status_code in (200, 302),
    ),
    Form(
        "measures:import",
        ("editor_own",),  # the pending upload is the uploader's own
        variant="confirm",
        data=lambda w: {"upload": str(w.extra["measure_import"].pk), "create_duplicates": ""},
        shows_form=False,
        accepts=_status(200),
    ),
    Form(
        "measures:create",
        ANY_EDITOR,
        variant="prefill",
        method="get",
        data=lambda w: {
            "handlungsfeld": "2",
            "partner": str(w.district["gorleben"].pk),
            "titel": "Gemeinsames Verfahren",
        },
        shows_form=False,
    ),
    # login lockouts (django-axes)
    Form(
        "lockout_release",
        ("coordinator",),
        data=lambda w: {"art": "username", "wert": "gesperrt"},
        shows_form=False,  # posted from the lockout list
    ),
    Form(
        "lockout_release",
        ("coordinator",),
        variant="confirmation page",
        method="get",
        data=lambda w: {"art": "username", "wert": "gesperrt"},
        not_attacked=("art", "wert"),  # the page's own form posts them (entry above)
    ),
    # people
    Form(
        "people:list",
        ("coordinator",),
        method="get",
        data=lambda w: {"kommune": str(w.district["hitzacker"].pk), "niemand": "1"},
    ),
    Form(
        "people:invite",
        ("coordinator",),
        method="get",
        data=lambda w: {"kommune": str(w.district["gartow"].pk)},
        variant="prefill",
        accepts=_status(200),
        # The page's form posts its own fields (entry below); ?kommune= only preselects.
        not_attacked=("first_name", "last_name", "email", "municipality", "role"),
    ),
    Form(
        "people:invite",
        ("coordinator",),
        data=lambda w: {
            "first_name": "Paul",
            "last_name": "Probe",
            "email": "paul.probe@example.org",
            "municipality": str(w.district["hitzacker"].pk),
            "role": "editor",
        },
    ),
    Form(
        "people:detail",
        ("coordinator",),
        data=lambda w: {"municipality": str(w.district["hitzacker"].pk), "role": "editor"},
        args=lambda w: [w.extra["invitee"].pk],
    ),
    Form("people:deactivate", ("coordinator",), args=lambda w: [w.extra["invitee"].pk]),
    Form(
        "people:reactivate",
        ("coordinator",),
        args=lambda w: [w.extra["inactive"].pk],
        shows_form=False,
    ),
    Form(
        "people:resend", ("coordinator",), args=lambda w: [w.extra["invitee"].pk], shows_form=False
    ),
    Form("people:role_remove", ("coordinator",), args=lambda w: [w.extra["membership"].pk]),
    Form(
        "people:accept",
        ROLES,  # whoever holds the link
        data=lambda w: {
            "new_password1": "ein-neues-Passwort-2027",
            "new_password2": "ein-neues-Passwort-2027",
        },
        args=lambda w: [w.extra["invitation_token"]],
    ),
    # pages: legal pages, accessibility statement, feedback
    Form(
        "pages:edit",
        ("coordinator",),
        variant="impressum",
        data=lambda w: {
            "text": "# Impressum\n\nLandkreis **Lüchow-Dannenberg**",
            "loaded_version": _token_of(LegalPage, kind="impressum"),
        },
        args=lambda w: ["impressum"],
    ),
    Form(
        "pages:edit",
        ("coordinator",),
        variant="sign language video",
        data=lambda w: {
            "text": "Das Video in Deutscher Gebärdensprache.",
            "loaded_version": _token_of(LegalPage, kind="gebaerdensprache"),
        },
        args=lambda w: ["gebaerdensprache"],
        upload="video",
        upload_variants=video_variants,
        not_attacked=("video-clear",),  # the clear box of an empty video field is not rendered
    ),
    Form("pages:accessibility_edit", ("coordinator",), data=accessibility_data),
    Form(
        "pages:feedback",
        ROLES,
        data=lambda w: {
            "message": "Die Tabelle ist mit dem Screenreader nicht lesbar.",
            "page": "Maßnahmenliste",
            "name": "Erika Muster",
            "email": "erika@example.org",
        },
    ),
    Form(
        "pages:feedback",
        ROLES,
        variant="prefill",
        method="get",
        data=lambda w: {"seite": "/massnahmen/"},
        shows_form=False,
    ),
    Form("pages:feedback_delete", ("coordinator",), args=lambda w: [w.extra["feedback"].pk]),
    # API: keys, the measurement push (JSON), the filters of the lists
    Form(
        "api:token_create",
        EDITORS_OF_HITZACKER,
        data=lambda w: {"name": "Fachverfahren Bürgerbüro"},
        args=HITZACKER,
        foreign_args=GORLEBEN,
        shows_form=False,  # the form is on api:tokens
        accepts=_status(201),
    ),
    Form(
        "api:token_revoke",
        EDITORS_OF_HITZACKER,
        args=lambda w: ["hitzacker-elbe", w.extra["token"].pk],
        foreign_args=lambda w: ["gorleben", w.extra["foreign_token"].pk],
    ),
    Form(
        "api:indicator-measurements",
        # editor_own pushes with Hitzacker's key, editor_other with Gorleben's (refused);
        # the others with their session.
        EDITORS_OF_HITZACKER,
        method="json",
        data=lambda w: {"period": "2026", "value": "13,5", "note": "aus dem Fachverfahren"},
        args=lambda w: [w.indicator.pk],
        foreign_args=lambda w: [w.other_measure.indicators.get().pk],
        headers=_bearer("secret"),
        shows_form=False,
        accepts=lambda response: response.status_code in (200, 201),
    ),
    Form(
        "api:measure-cost-plan",
        # editor_own writes with Hitzacker's key, editor_other with Gorleben's (refused);
        # the others with their session.
        EDITORS_OF_HITZACKER,
        method="json",
        data=lambda w: {"year": 2027, "running_actual": "12,50", "staff_fte_planned": "0,5"},
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
        headers=_bearer("secret"),
        shows_form=False,
        accepts=lambda response: response.status_code in (200, 201),
    ),
    Form(
        "api:measure-list",
        ROLES,
        method="get",
        data=lambda w: {
            "q": "Antrag",
            "field": "1",
            "body": str(w.district["hitzacker"].pk),
            "status": "in_progress",
            "changed_since": "2026-01-01T00:00:00",
            "page": "1",
        },
        shows_form=False,
    ),
    Form(
        "api:indicator-list",
        ROLES,
        method="get",
        data=lambda w: {
            "measure": str(w.measure.pk),
            "field": "1",
            "body": str(w.district["hitzacker"].pk),
            "changed_since": "2026-01-01",
            "page": "1",
        },
        shows_form=False,
    ),
    Form(
        "api:assessment-list",
        ROLES,
        method="get",
        data=lambda w: {
            "measure": str(w.measure.pk),
            "body": str(w.district["hitzacker"].pk),
            "changed_since": "2026-01-01",
        },
        shows_form=False,
    ),
    Form(
        "api:body-list",
        ROLES,
        method="get",
        data=lambda w: {"kind": "town", "parent": str(w.district["elbtalaue"].pk), "page": "1"},
        shows_form=False,
    ),
    Form("api:goal-list", ROLES, method="get", data=lambda w: {"field": "1"}, shows_form=False),
    # procedures: the register
    Form(
        "procedures:export",
        ("coordinator",),
        method="get",
        data=lambda w: {"format": "csv"},
        shows_form=False,
    ),
    Form(
        "procedures:import",
        ("coordinator",),
        upload="file",
        upload_variants=register_import_variants,
    ),
    Form(
        "procedures:entry_create",
        EDITORS_OF_HITZACKER,
        data=entry_data,
        args=HITZACKER,
        foreign_args=GORLEBEN,
    ),
    Form(
        "procedures:entry_update",
        EDITORS_OF_HITZACKER,
        data=lambda w: entry_data(w, w.extra["entry"]),
        args=lambda w: [w.extra["entry"].pk],
        foreign_args=lambda w: [w.extra["foreign_entry"].pk],
    ),
    Form(
        "procedures:entry_delete",
        EDITORS_OF_HITZACKER,
        args=lambda w: [w.extra["entry"].pk],
        foreign_args=lambda w: [w.extra["foreign_entry"].pk],
    ),
    Form(
        "procedures:offer_create",
        EDITORS_OF_HITZACKER,
        data=offer_data,
        args=HITZACKER,
        foreign_args=GORLEBEN,
    ),
    Form(
        "procedures:offer_create",
        EDITORS_OF_HITZACKER,
        variant="prefill",
        method="get",
        data=lambda w: {"leistung": "99050012105000"},
        args=HITZACKER,
        foreign_args=GORLEBEN,
        shows_form=False,
    ),
    Form(
        "procedures:offer_update",
        EDITORS_OF_HITZACKER,
        data=lambda w: offer_data(w, w.extra["offer"]),
        args=lambda w: [w.extra["offer"].pk],
        foreign_args=lambda w: [w.extra["foreign_offer"].pk],
        not_attacked=("service",),  # disabled: the offer's service never changes
    ),
    Form(
        "procedures:offer_delete",
        EDITORS_OF_HITZACKER,
        args=lambda w: [w.extra["offer"].pk],
        foreign_args=lambda w: [w.extra["foreign_offer"].pk],
    ),
    # drafts: the Abstimmung and the Beschlussvorlage
    Form(
        "drafts:consultation",
        # A Samtgemeinde's editor may still send one member's position alone (its page shows
        # the form of the entry "Samtgemeinde and members", so it is not the last role here).
        ("samtgemeinde_editor", "editor_own", "editor_other"),
        data=consultation_data,
        args=lambda w: [w.extra["consulted"].pk],
        not_attacked=("kommune",),  # the GET body choice: entry "body choice" below
    ),
    Form(
        "drafts:consultation",
        ("samtgemeinde_editor",),
        variant="Samtgemeinde and members",
        data=consultation_group_data,
        args=lambda w: [w.extra["consulted"].pk],
    ),
    Form(
        "drafts:consultation",
        ("coordinator",),
        variant="on a body's behalf",
        data=consultation_on_behalf_data,
        args=lambda w: [w.extra["consulted"].pk],
        not_attacked=("kommune",),
    ),
    Form(
        "drafts:consultation",
        INTERNAL,
        variant="body choice",
        method="get",
        data=lambda w: {"kommune": str(w.district["hitzacker"].pk)},
        args=lambda w: [w.extra["consulted"].pk],
        shows_form=False,
    ),
    Form(
        "drafts:consultation_open",
        ("coordinator",),
        data=lambda w: {"deadline": str(datetime.date.today() + datetime.timedelta(days=20))},
        args=lambda w: [w.extra["openable"].pk],
    ),
    Form(
        "drafts:consultation_close",
        ("coordinator",),
        args=lambda w: [w.extra["consulted"].pk],
    ),
    Form(
        "drafts:consultation_remind",
        ("coordinator",),
        args=lambda w: [w.extra["consulted"].pk],
    ),
    Form(
        "drafts:council_document",
        ("coordinator",),
        data=lambda w: {
            "council_document_number": "2027/001",
            "committee_meeting_date": "2027-02-01",
            "council_meeting_date": "2027-03-01",
            "loaded_version": _token_of(StrategyDraft, pk=w.extra["openable"].pk),
        },
        args=lambda w: [w.extra["openable"].pk],
        shows_form=False,  # the form is on the draft's page
    ),
    # drafts: the adoption by the councils (issue 20)
    Form(
        "drafts:adoption_set_up",
        ("coordinator",),
        args=lambda w: [w.extra["presented"].pk],
        shows_form=False,  # a button on the adoption overview
    ),
    Form(
        "drafts:adoption_add",
        ("coordinator",),
        data=lambda w: {"municipality": str(w.district["dannenberg"].pk)},
        args=lambda w: [w.extra["presented"].pk],
        shows_form=False,  # the form is on the adoption overview
    ),
    Form(
        "drafts:procedure",
        EDITORS_OF_HITZACKER,
        data=procedure_data,
        args=lambda w: [w.extra["presented"].pk, w.district["hitzacker"].slug],
        foreign_args=lambda w: [w.extra["presented"].pk, w.district["gorleben"].slug],
    ),
    Form(
        "drafts:decision_record",
        EDITORS_OF_HITZACKER,
        data=lambda w: {
            "decided_on": str(datetime.date.today() - datetime.timedelta(days=1)),
            "outcome": "adopted",
            "decision_number": "B-2027/5",
            "changes": "",
        },
        args=lambda w: [w.extra["presented"].pk, w.district["hitzacker"].slug],
        foreign_args=lambda w: [w.extra["presented"].pk, w.district["gorleben"].slug],
        upload="extract",
        upload_variants=extract_variants,
    ),
    Form(
        "drafts:procedure_remove",
        ("coordinator",),
        args=lambda w: [w.extra["presented"].pk, w.district["hitzacker"].slug],
    ),
    # Issue 11 and issue 8 §4: withdrawal, deletion, partnership consent, joining.
    Form(
        "measures:withdraw",
        EDITORS_OF_HITZACKER,
        data=lambda w: {"reason": "Doppelt erfasst, siehe die gemeinsame Maßnahme."},
        args=lambda w: [w.measure.pk],
        foreign_args=lambda w: [w.other_measure.pk],
    ),
    Form(
        "measures:delete",
        EDITORS_OF_HITZACKER,
        args=lambda w: [w.extra["draft_measure"].pk],
        foreign_args=lambda w: [w.extra["foreign_draft_measure"].pk],
    ),
    Form(
        "measures:partnership_answer",
        ("editor_other",),  # only the asked body's editors answer
        data=lambda w: {"action": "confirm", "reason": ""},
        args=lambda w: [w.extra["request"].pk],
        foreign_args=lambda w: [w.extra["foreign_request"].pk],
    ),
    Form(
        # Issue 19: the coordinator records the body's answer on its behalf, with its source.
        "measures:partnership_record",
        ("coordinator",),
        data=lambda w: {
            "body": str(w.extra["foreign_request"].municipality_id),
            "action": "decline",
            "source": "letter",
            "source_date": "2026-12-01",
            "reason": "Kein Budget 2027.",
        },
        args=lambda w: [w.extra["foreign_request"].pk],
    ),
    Form(
        "measures:join",
        EDITORS_OF_HITZACKER,
        data=lambda w: {
            "measures": f"{w.measure.pk},{w.other_measure.pk}",
            "joint": str(w.measure.pk),
            "others": str(w.other_measure.pk),
            "title": "Gemeinsame Maßnahme",
        },
        # The page needs ?measures= (it is opened from a cluster); its fields are the data.
        shows_form=False,
    ),
]

# Every other URL of the project, and why it takes no input worth a battery.
NO_INPUT = {
    "home": "start page, no input",
    "dashboard": "redirect to the user's own dashboard",
    "sources": "static page",
    "healthz": "health check",
    "municipalities:list": "read-only list",
    "fields_of_action:list": "read-only list",
    "fields_of_action:detail": "read-only page",
    "measures:dashboard": "read-only page",
    "measures:detail": "read-only page (its forms are entered as transition and comment)",
    "measures:history": "read-only page",
    "measures:review_queue": "read-only list",
    "measures:partner_requests": "read-only paged list (?page goes through Paginator.get_page)",
    "measures:open_requests_all": (
        "read-only paged list (?page goes through Paginator.get_page; ?niemand is only "
        "compared with '1')"
    ),
    "measures:synergies": "read-only overview of the clusters of similar measures",
    "evaluation:needs_list": "read-only paged list (?page goes through Paginator.get_page)",
    "evaluation:municipality_needs_list": "read-only paged list (?page, as needs_list)",
    "measures:review_overview": "read-only table",
    "evaluation:overview": "read-only dashboard",
    "evaluation:municipality_overview": "read-only dashboard",
    "evaluation:indicator_detail": "read-only page (its form is entered as measurement_save)",
    "evaluation:run_list": "read-only list",
    "evaluation:run_detail": "read-only page",
    "evaluation:round_detail": "read-only page",
    "evaluation:reporting_round_detail": "read-only page",
    "evaluation:reports": "read-only list",
    "evaluation:report_pdf": "file download",
    "evaluation:oparl_report_paper": "JSON",
    "evaluation:oparl_report_file": "JSON",
    "evaluation:overdue_list": "read-only list",
    "drafts:list": "read-only list",
    "drafts:detail": "read-only page (its form is entered as decision)",
    "drafts:status": "JSON status",
    "drafts:pdf": "file download",
    "drafts:oparl_paper": "JSON",
    "drafts:oparl_file": "JSON",
    "password_change_done": "confirmation page",
    "password_reset_done": "confirmation page",
    "password_reset_complete": "confirmation page",
    # merged after the first battery
    "lockout_list": "read-only list (its form is entered as lockout_release)",
    "pages:impressum": "read-only page",
    "pages:privacy": "read-only page",
    "pages:easy_read": "read-only page",
    "pages:sign_language": "read-only page",
    "pages:sign_language_video": "file download",
    "pages:accessibility": "read-only page",
    "pages:feedback_list": "read-only list (its delete form is entered as feedback_delete)",
    "api:tokens": "read-only list (its forms are entered as token_create and token_revoke)",
    "api:schema": "OpenAPI document, read-only",
    "api:docs": "API documentation page, read-only",
    "api:catalog_ttl": "DCAT-AP.de catalogue, read-only",
    "api:catalog_jsonld": "DCAT-AP.de catalogue, read-only",
    "api:body-detail": "read-only JSON (GET; POST is 405)",
    "api:field-list": "read-only JSON without filters",
    "api:field-detail": "read-only JSON",
    "api:goal-detail": "read-only JSON",
    "api:measure-detail": "read-only JSON",
    "api:indicator-detail": "read-only JSON",
    "api:assessment-detail": "read-only JSON",
    "api:draft-list": "read-only JSON without filters",
    "api:draft-detail": "read-only JSON",
    "measures:import_status": "read-only progress and outcome of one's own large import",
    "measures:import_download": "file download of one's own applied import",
    "api:open_data": "static page",
    "procedures:overview": "read-only overview",
    "procedures:register": "read-only list (its forms are entered as entry_* and offer_*)",
    "procedures:services": "read-only list",
    "procedures:service_detail": "read-only page",
    "procedures:coverage": "read-only table",
    "drafts:oparl_system": "OParl JSON, read-only",
    "drafts:oparl_body_list": "OParl JSON, read-only",
    "drafts:oparl_body": "OParl JSON, read-only",
    "drafts:oparl_organization_list": "OParl JSON, read-only",
    "drafts:oparl_organization": "OParl JSON, read-only",
    "drafts:oparl_person_list": "OParl JSON (always empty), read-only",
    "drafts:oparl_meeting_list": "OParl JSON (always empty), read-only",
    "drafts:oparl_paper_list": "OParl JSON, read-only",
    "drafts:oparl_body_paper": "OParl JSON, read-only",
    "drafts:oparl_body_file": "OParl JSON, read-only",
    "drafts:oparl_consultation": "OParl JSON, read-only",
    "drafts:adoption": "the adoption overview, read-only (its forms post to their own URLs)",
    "drafts:body_document": "a body's Beschlussvorlage as PDF, a download",
    "drafts:body_document_render": (
        "a button without fields (POST): the coordinator's new attempt at a failed Vorlage"
    ),
    "drafts:body_docx": "a Vorlage's text parts as a Word file, a download",
    "drafts:decision_extract": "a stored Beschlussauszug, a download",
}

# Namespaces outside the battery, with the reason.
EXCLUDED_NAMESPACES = {
    "admin": "Django's own admin: staff accounts only, forms generated from the same models",
}


# Upload variants: (label, filename, content).
def upload_variants(world):
    good = f"indikator_id;zeitraum;wert;notiz\n{world.indicator.pk};2026;14,5;Zählung\n"
    return [
        ("valid", "werte.csv", good.encode()),
        ("empty", "werte.csv", b""),
        ("binary", "werte.csv", bytes(range(256)) * 40),
        ("png", "bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("invalid-utf8", "werte.csv", b"indikator_id;zeitraum;wert\n\xff\xfe;2026;1\n"),
        ("nul-bytes", "werte.csv", good.replace("Zählung", "Zäh\x00lung").encode()),
        ("huge-line", "werte.csv", b"indikator_id;zeitraum;wert\n" + b"1" * 300_000 + b";2026;1\n"),
        ("huge-header", "werte.csv", b"x" * 1_000_000 + b"\n"),
        ("too-large", "werte.csv", good.encode() + b"1;2026;1\n" * 600_000),
        ("only-header", "werte.csv", b"indikator_id;zeitraum;wert\n"),
        ("nul-in-filename", "wer\x00te.csv", good.encode()),
        ("huge-filename", "w" * 10_000 + ".csv", good.encode()),
        (
            "foreign-indicator",
            "werte.csv",
            good.replace(
                str(world.indicator.pk), str(world.other_measure.indicators.get().pk)
            ).encode(),
        ),
        ("many-columns", "werte.csv", (good.strip() + ";x" * 50_000 + "\n").encode()),
    ]
