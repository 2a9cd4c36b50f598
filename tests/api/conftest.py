"""Fixtures for the API tests: published and unpublished measures with indicators, a
published draft with a (small, fake) PDF, and API keys of two bodies plus a revoked one."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from api.models import ApiToken
from drafts.models import DraftState, RenderState, StrategyDraft
from tests.evaluation.factories import AssessmentFactory, IndicatorFactory, MeasurementFactory
from tests.factories import MeasureFactory, PartnershipFactory, publish_now

ROLES = [
    "anonymous",
    "editor_own",
    "editor_other",
    "samtgemeinde_editor",
    "coordinator",
    "council",
    "token_own",
    "token_other",
    "token_revoked",
]
TOKEN_ROLES = {"token_own", "token_other", "token_revoked"}
INTERNAL = {"editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"}
# Principals that read what the kommunale Familie reads (everything, current version).
READS_INTERNAL = INTERNAL | {"token_own", "token_other"}


@pytest.fixture(autouse=True)
def api_cache(settings):
    """Throttle counters in a fresh local-memory cache per test (also in CI's Redis run)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "api-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def publish_measure(measure):
    """What drafts.workflow.publish writes onto a measure (with the texts of its indicators
    and assessments), without rendering a PDF."""
    return publish_now(measure)


@pytest.fixture
def data(district, users):
    hitzacker, gorleben = district["hitzacker"], district["gorleben"]
    published = MeasureFactory(
        lead_municipality=hitzacker,
        title="Online-Anträge im Bürgerbüro",
        contact_name="Erika Geheimname",
        contact_email="erika.geheim@example.org",
        contact_role="Fachdienst Digitalisierung",
        budget_planned=Decimal("12500.50"),
    )
    PartnershipFactory(
        measure=published, municipality=district["dannenberg"], cost_share_percent=25
    )
    unpublished = MeasureFactory(lead_municipality=hitzacker, title="Interne Vorüberlegung")
    other = MeasureFactory(lead_municipality=gorleben, title="Digitale Bauakte Gorleben")
    indicator = IndicatorFactory(measure=published, name="Anteil Online-Anträge")
    MeasurementFactory(
        indicator=indicator,
        period=datetime.date(2025, 1, 1),
        value=Decimal("14"),
        note="Zählung von Frau Geheimname",
    )
    hidden_indicator = IndicatorFactory(measure=unpublished, name="Interner Indikator")
    other_indicator = IndicatorFactory(measure=other, name="Digitale Bauanträge")
    assessment = AssessmentFactory(measure=published, assessed_by=users["editor_own"])
    hidden_assessment = AssessmentFactory(measure=unpublished)
    # Published with their indicators and assessments, as a draft laid before the Kreistag.
    published = publish_measure(published)
    other = publish_measure(other)
    return {
        "published": published,
        "unpublished": unpublished,
        "other": other,
        "indicator": indicator,
        "hidden_indicator": hidden_indicator,
        "other_indicator": other_indicator,
        "assessment": assessment,
        "hidden_assessment": hidden_assessment,
    }


def make_draft(users, state, version, pdf=True):
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label=version,
        resolution_date=datetime.date(2026, 6, 18),
        created_by=users["coordinator"],
        state=state,
    )
    if pdf:
        content = b"%PDF-1.7\n% Testinhalt\n"
        draft.pdf.save(draft.pdf_filename, ContentFile(content), save=False)
        draft.pdf_sha256 = hashlib.sha256(content).hexdigest()
        draft.pdf_size = len(content)
        draft.pdf_pages = 1
        draft.rendered_at = timezone.now()
        draft.render_state = RenderState.READY
    draft.frozen_at = timezone.now() if state != DraftState.EDITING else None
    if state in (DraftState.PUBLISHED, DraftState.DECIDED):
        draft.published_at = timezone.now()
    draft.save()
    return draft


@pytest.fixture
def drafts(users):
    return {
        "editing": make_draft(users, DraftState.EDITING, "Entwurf 3", pdf=False),
        "frozen": make_draft(users, DraftState.FROZEN, "Entwurf 2"),
        "published": make_draft(users, DraftState.PUBLISHED, "Entwurf 1"),
    }


@pytest.fixture
def tokens(district, users):
    own, own_secret = ApiToken.issue(district["hitzacker"], "Fachverfahren", users["editor_own"])
    other, other_secret = ApiToken.issue(district["gorleben"], "Bauamt", users["editor_other"])
    revoked, revoked_secret = ApiToken.issue(district["hitzacker"], "Alt", users["editor_own"])
    revoked.revoked_at = timezone.now()
    revoked.save()
    return {
        "token_own": (own, own_secret),
        "token_other": (other, other_secret),
        "token_revoked": (revoked, revoked_secret),
    }


@pytest.fixture
def api_as(client, users, tokens):
    """A test client acting as a role of ROLES; token roles send the key as Bearer header."""

    def act(role):
        client.logout()
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if role in TOKEN_ROLES:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {tokens[role][1]}"
        elif users.get(role) is not None:
            client.force_login(users[role])
        return client

    return act
