"""Texts of indicators and assessments reach the public only as reviewed and published.

The attack (hardening II, item 5): for a published measure, a name, e-mail address and mobile
number typed into an indicator's description (and an assessment's justification, a new
indicator's name) were readable anonymously at once, on the API, the indicator page, the
measure page and the public CSV. Now the public reads the texts of the measure's published
version; a change sends the measure back to review, and the next publication makes it public.
"""

import datetime

import pytest
from django.urls import reverse

from core.locking import version_token
from drafts.models import StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import freeze, publish
from evaluation.models import Assessment, Indicator
from measures.models import ReviewComment, ReviewState
from measures.permissions import reviewable_measures
from measures.review import StaleReviewError, transition_to

from .factories import AssessmentFactory, IndicatorFactory, MeasurementFactory
from .test_views import indicator_post

PII = "Erika Mustermann, erika.mustermann@example.org, 0170 1234567"


def lay_before_kreistag(users, number):
    """Freeze a strategy draft, render its PDF and publish it, as the coordinator does."""
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label=f"Entwurf {number}",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=users["coordinator"],
    )
    freeze(draft, users["coordinator"], render=False)
    return publish(
        render_now(StrategyDraft.objects.get(pk=draft.pk)),
        users["coordinator"],
        without_consultation=True,
    )


def accept(measure, users):
    measure.refresh_from_db()
    if measure.review_state != ReviewState.SUBMITTED:
        transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])


@pytest.fixture
def published(measure, users):
    """The measure with one indicator (a value) and one assessment, accepted and published."""
    indicator = IndicatorFactory(
        measure=measure,
        name="Anteil online gestellter Anträge",
        description="Anteil der Anträge im Bürgerbüro, die online eingehen.",
        source_note="eigene Zählung",
    )
    MeasurementFactory(indicator=indicator, value=12)
    assessment = AssessmentFactory(measure=measure, justification="Die Zahl steigt langsam.")
    accept(measure, users)
    lay_before_kreistag(users, 1)
    measure.refresh_from_db()
    return {"measure": measure, "indicator": indicator, "assessment": assessment}


def attack(as_role, published):
    """After publication an editor types personal data into every text of the evaluation."""
    editor = as_role("editor_own")
    measure, indicator = published["measure"], published["indicator"]
    response = editor.post(
        reverse("evaluation:indicator_update", args=[indicator.pk]),
        indicator_post(
            name="Anteil online gestellter Anträge",
            description=f"Rückfragen: {PII}",
            source_note=f"Zählung von {PII}",
            unit="% (Erika)",
            loaded_version=version_token(Indicator.objects.get(pk=indicator.pk)),
        ),
    )
    assert response.status_code == 302
    response = editor.post(
        reverse("evaluation:assessment_create", args=[measure.pk]),
        {"assessed_on": "2026-11-30", "verdict": "partly", "justification": f"Laut {PII}"},
    )
    assert response.status_code == 302
    response = editor.post(
        reverse("evaluation:indicator_create", args=[measure.pk]),
        indicator_post(name=f"Neu: {PII}", description=PII, source_note=PII),
    )
    assert response.status_code == 302
    new = Indicator.objects.get(name=f"Neu: {PII}")
    MeasurementFactory(indicator=new, value=7)
    editor.logout()
    return new


def public_urls(published, new):
    measure, indicator = published["measure"], published["indicator"]
    return [
        reverse("api:indicator-list"),
        reverse("api:indicator-detail", args=[indicator.pk]),
        reverse("api:indicator-list") + f"?measure={measure.pk}",
        reverse("api:assessment-list"),
        reverse("api:assessment-list") + f"?measure={measure.pk}",
        reverse("evaluation:indicator_detail", args=[indicator.pk]),
        measure.get_absolute_url(),
        reverse("evaluation:export"),
        reverse("evaluation:export") + f"?massnahme={measure.pk}",
        reverse("evaluation:overview"),
        reverse("evaluation:needs_list", args=["ohne-aktuellen-wert"]),
        reverse("evaluation:needs_list", args=["ohne-indikator"]),
        reverse("measures:list"),
        reverse("api:measure-detail", args=[measure.pk]),
    ]


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_personal_data_typed_after_publication_is_not_public(client, as_role, published):
    new = attack(as_role, published)
    for url in public_urls(published, new):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for part in ("Mustermann", "example.org", "0170", "Erika"):
            assert part not in text, (url, part)
    # The published texts are still there where the indicator is shown.
    for url in (
        reverse("api:indicator-detail", args=[published["indicator"].pk]),
        reverse("evaluation:indicator_detail", args=[published["indicator"].pk]),
        published["measure"].get_absolute_url(),
        reverse("evaluation:export"),
    ):
        assert "Anteil online gestellter Anträge" in body(client.get(url)), url
    api = client.get(reverse("api:indicator-detail", args=[published["indicator"].pk])).json()
    assert api["description"] == "Anteil der Anträge im Bürgerbüro, die online eingehen."
    assert (api["source_note"], api["unit"]) == ("eigene Zählung", "%")
    assessments = client.get(reverse("api:assessment-list")).json()["results"]
    assert [a["justification"] for a in assessments] == ["Die Zahl steigt langsam."]
    # The indicator added since publication is not public at all (not even its values).
    for url in (
        reverse("api:indicator-detail", args=[new.pk]),
        reverse("api:indicator-measurements", args=[new.pk]),
        reverse("evaluation:indicator_detail", args=[new.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # Staff keep reading the current texts.
    coordinator = as_role("coordinator")
    for url in (
        reverse("api:indicator-detail", args=[published["indicator"].pk]),
        reverse("evaluation:indicator_detail", args=[published["indicator"].pk]),
        reverse("evaluation:indicator_detail", args=[new.pk]),
        published["measure"].get_absolute_url(),
    ):
        assert "Mustermann" in body(coordinator.get(url)), url


def test_a_changed_text_goes_back_to_review_and_is_public_after_the_next_publication(
    client, as_role, published, users
):
    measure = published["measure"]
    assert measure.review_state == ReviewState.ACCEPTED
    new = attack(as_role, published)
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.SUBMITTED
    assert measure in reviewable_measures(users["coordinator"])
    assert ReviewComment.objects.filter(
        measure=measure, from_state=ReviewState.ACCEPTED, to_state=ReviewState.SUBMITTED
    ).exists()
    # Accepted, but not yet laid before the Kreistag: still the published texts.
    accept(measure, users)
    url = reverse("evaluation:indicator_detail", args=[published["indicator"].pk])
    assert "Mustermann" not in body(client.get(url))
    lay_before_kreistag(users, 2)
    for url in (
        reverse("evaluation:indicator_detail", args=[published["indicator"].pk]),
        reverse("api:indicator-detail", args=[new.pk]),
        reverse("api:assessment-list"),
        reverse("evaluation:export"),
        measure.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Mustermann" in body(response), url
    latest = Assessment.objects.get(justification=f"Laut {PII}")
    assert latest.public_justification == latest.justification


def test_a_progress_edit_of_a_value_does_not_send_the_measure_back(as_role, published):
    """Numbers stay live: a new value is public at once and needs no review."""
    indicator = published["indicator"]
    response = as_role("editor_own").post(
        reverse("evaluation:measurement_save", args=[indicator.pk]),
        {"period": "2026", "value": "33"},
    )
    assert response.status_code == 302
    published["measure"].refresh_from_db()
    assert published["measure"].review_state == ReviewState.ACCEPTED
    values = [
        m["value"]
        for m in as_role("anonymous")
        .get(reverse("api:indicator-detail", args=[indicator.pk]))
        .json()["measurements"]
    ]
    assert values[-1].startswith("33")


def test_a_review_decision_on_the_text_before_an_edit_is_refused(as_role, measure, users):
    indicator = IndicatorFactory(measure=measure, name="Anteil online")
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    measure.refresh_from_db()
    seen = measure.version
    response = as_role("editor_own").post(
        reverse("evaluation:indicator_update", args=[indicator.pk]),
        indicator_post(
            name="Anteil online",
            description=PII,
            loaded_version=version_token(Indicator.objects.get(pk=indicator.pk)),
        ),
    )
    assert response.status_code == 302
    with pytest.raises(StaleReviewError):
        transition_to(measure, ReviewState.ACCEPTED, users["coordinator"], seen_version=seen)
    accept(measure, users)
    measure.refresh_from_db()
    texts = measure.accepted_snapshot["evaluation"]["indicators"][str(indicator.pk)]
    assert texts["description"] == PII


def test_the_draft_pdf_shows_the_accepted_indicators_only(as_role, published, users):
    new = attack(as_role, published)
    draft = lay_before_kreistag(users, 2)
    (entry,) = [m for m in draft.snapshot["measures"] if m["id"] == published["measure"].pk]
    assert [i["id"] for i in entry["indicators"]] == [published["indicator"].pk]
    assert new.pk not in [i["id"] for i in entry["indicators"]]
    assert "Mustermann" not in str(draft.snapshot)


def test_a_text_changed_in_the_admin_goes_back_to_review(rf, published, django_user_model):
    from django.contrib.admin.sites import site

    indicator = published["indicator"]
    model_admin = site._registry[Indicator]
    request = rf.post("/admin/")
    request.user = django_user_model.objects.create_superuser("admin", "a@example.org", "x")
    form_class = model_admin.get_form(request, indicator, change=True)
    data = {
        **form_class(instance=indicator).initial,
        "description": PII,
        "measure": indicator.measure_id,
        "source_options": "{}",
    }
    form = form_class({k: v for k, v in data.items() if v is not None}, instance=indicator)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    published["measure"].refresh_from_db()
    assert published["measure"].review_state == ReviewState.SUBMITTED
    assert PII not in str(Indicator.objects.get(pk=indicator.pk).public_description)


def test_the_migration_takes_todays_texts_as_accepted_and_published(measure, users):
    """Deployed onto existing data, nothing public disappears and nothing goes to review."""
    import importlib

    from django.apps import apps

    from measures.models import Measure
    from measures.review import after_edit, measure_snapshot

    migration = importlib.import_module(
        "evaluation.migrations.0007_public_texts_of_indicators_and_assessments"
    )
    indicator = IndicatorFactory(measure=measure, name="Anteil online", description="Erläuterung")
    assessment = AssessmentFactory(measure=measure, justification="Begründung")
    old = measure_snapshot(Measure.objects.with_related().get(pk=measure.pk))
    Measure.objects.filter(pk=measure.pk).update(
        accepted_snapshot=old,
        public_snapshot=old,
        public_since=measure.created_at,
        review_state=ReviewState.ACCEPTED,
    )
    migration.keep_what_is_shown(apps, None)
    indicator.refresh_from_db()
    assessment.refresh_from_db()
    assert (indicator.public_name, indicator.public_description) == ("Anteil online", "Erläuterung")
    assert indicator.public_since is not None and assessment.public_since is not None
    assert assessment.public_justification == "Begründung"
    measure = Measure.objects.with_related().get(pk=measure.pk)
    assert measure.accepted_snapshot["evaluation"]["assessments"] == {
        str(assessment.pk): "Begründung"
    }
    assert after_edit(measure, users["editor_own"]) is False  # no change: stays accepted
