"""The bad-input battery: bad values and the registry of every form and upload of the portal.

``FORMS`` names every URL that takes input (a POST form, a POST action, a GET filter, an
upload) with the roles allowed to use it, its valid data and the fields to attack.
``NO_INPUT`` names every other URL and why it takes none. ``test_battery`` asserts that the
two together cover the project's URL resolver, so a new view fails the test until it is
entered here.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from drafts.models import StrategyDraft
from evaluation.models import CollectionRound, Measurement
from measures.models import Status
from measures.review import ReviewState, transition_to
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
        snapshot={"measures": []},
    )
    collection_round = CollectionRound.objects.create(
        title="Erhebung 2026",
        period=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 3, 31),
        opened_by=users["coordinator"],
    )
    return World(
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
        "budget_planned": "12.500,00",
        "budget_spent": "100",
        "funding_source": "Eigenmittel",
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
    }


def draft_data(world):
    data = {
        "title": "Digitalstrategie",
        "version_label": "Entwurf 2",
        "resolution_date": "2026-03-01",
        "deadline": "",
        "introduction": "Einleitung.",
    }
    for number in range(1, 7):
        data[f"intro_{number}"] = f"Einleitung {number}"
    return data


def round_entry_data(world):
    pk = world.indicator.pk
    return {f"value_{pk}": "17,5", f"note_{pk}": "gezählt"}


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
        "measures:transition",
        ("editor_own", "coordinator"),
        data=lambda w: {"target": "changes_requested", "comment": "Bitte ergänzen.", "next": ""},
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
        data=lambda w: {"decision_date": "2026-06-01", "drucksache_number": "2026/017"},
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

# Every other URL of the project, and why it takes no input worth a battery.
NO_INPUT = {
    "home": "start page, no input",
    "dashboard": "redirect to the user's own dashboard",
    "sources": "static page",
    "accessibility": "static page",
    "healthz": "health check",
    "municipalities:list": "read-only list",
    "fields_of_action:list": "read-only list",
    "fields_of_action:detail": "read-only page",
    "measures:dashboard": "read-only page",
    "measures:detail": "read-only page (its forms are entered as transition and comment)",
    "measures:history": "read-only page",
    "measures:review_queue": "read-only list",
    "measures:review_overview": "read-only table",
    "evaluation:overview": "read-only dashboard",
    "evaluation:municipality_overview": "read-only dashboard",
    "evaluation:indicator_detail": "read-only page (its form is entered as measurement_save)",
    "evaluation:run_list": "read-only list",
    "evaluation:run_detail": "read-only page",
    "evaluation:round_detail": "read-only page",
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
