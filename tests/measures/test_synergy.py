"""The synergy finder: quality on the labelled set, rules, storage, task, pages."""

import pytest
from django.test import Client
from django.urls import reverse

from core import data_version
from fields_of_action.models import FieldOfAction
from measures import synergy
from measures.models import Measure, PartnershipState, SimilarMeasure
from measures.review import ReviewState, transition_to
from measures.tasks import recompute_similarity

from ..factories import MeasureFactory, MunicipalityFactory
from . import synergy_quality as q

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


def town(i, name=None):
    """A member Gemeinde with unique keys (the factory's derived AGS may repeat)."""
    return MunicipalityFactory(
        name=name or f"Ort {i}", slug=f"ort-{i}", ars=f"0335477{i:05d}", ags=f"0337{i:04d}"
    )


@pytest.fixture
def bodies(district):
    letters = sorted({m[1] for m in q.MEASURES})
    return {letter: town(i, f"Testgemeinde {letter}") for i, letter in enumerate(letters)}


@pytest.fixture
def quality_set(bodies):
    created = q.create_measures(bodies)
    synergy.recompute_all()
    return created


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Einführung der E-Akte", "einfuehrung der eakte"),
        ("Online-Terminvergabe im Bürgerbüro", "onlineterminvergabe im buergerbuero"),
        ("Dorf-App für Groß Heide!", "dorfapp fuer gross heide"),
    ],
)
def test_normalise_folds_umlauts_and_joins_hyphenated_compounds(text, expected):
    assert synergy.normalise(text) == expected


def test_synonyms_bridge_abbreviations():
    assert "elektronische akte" in synergy.expand("einfuehrung der eakte")
    assert "eakte" in synergy.expand("die elektronische akte im bauamt")
    # Short words match whole words only: "ris" is not found inside "tourismus".
    assert "ratsinformationssystem" not in synergy.expand("tourismus foerdern")


def test_quality_set_precision_and_recall_at_5(quality_set):
    found = q.found_in_db(quality_set)
    precision, recall = q.precision_recall_at(found, 5)
    assert precision >= 0.9, found
    assert recall >= 0.9, found
    for a, b in q.positive_pairs():
        assert b in found[a][:5] or a in found[b][:5], f"{a} ~ {b} nicht gefunden"


def test_quality_set_must_not_pairs_are_never_matched(quality_set):
    found = q.found_in_db(quality_set)
    for a, b in q.MUST_NOT:
        assert b not in found[a] and a not in found[b], f"{a} ~ {b} fälschlich gefunden"


def test_scores_are_the_same_on_every_database(quality_set):
    """Computed in Python and rounded: SQLite (CI run 1) and PostgreSQL (run 2) store the same
    numbers. Reference values of scikit-learn 1.6 as pinned in requirements.lock."""
    score = {
        (a, b): SimilarMeasure.objects.get(measure=quality_set[a], other=quality_set[b]).score
        for a, b in [("akte-a", "akte-d"), ("termin-b", "termin-c"), ("ris-b", "ris-f")]
    }
    assert score == {
        ("akte-a", "akte-d"): pytest.approx(0.8155, abs=1e-4),
        ("termin-b", "termin-c"): pytest.approx(0.9409, abs=1e-4),
        ("ris-b", "ris-f"): pytest.approx(0.3818, abs=1e-4),
    }


def test_nightly_task_recomputes_everything(quality_set):
    from measures.tasks import recompute_all_similarity

    before = _stored()
    SimilarMeasure.objects.all().delete()
    assert recompute_all_similarity.delay().get() == len(before)
    assert _stored() == before


def test_reasons_are_short_and_german(quality_set):
    row = SimilarMeasure.objects.get(measure=quality_set["akte-a"], other=quality_set["akte-d"])
    assert row.reasons[:3] == ["ähnlicher Titel", "ähnliche Beschreibung", "gleiches Handlungsfeld"]
    leika = SimilarMeasure.objects.get(
        measure=quality_set["termin-b"], other=quality_set["termin-c"]
    )
    assert "gleiche OZG-Leistung" in leika.reasons


def test_only_other_bodies_and_not_already_partners(district):
    hitzacker, gorleben = district["hitzacker"], district["gorleben"]
    own = MeasureFactory(lead_municipality=hitzacker, title="Digitale Friedhofsverwaltung")
    same_body = MeasureFactory(lead_municipality=hitzacker, title="Digitale Friedhofsverwaltung")
    other = MeasureFactory(lead_municipality=gorleben, title="Digitale Friedhofsverwaltung")
    partnered = MeasureFactory(
        lead_municipality=district["dannenberg"], title="Digitale Friedhofsverwaltung"
    )
    own.partnerships.create(municipality=district["dannenberg"], state=PartnershipState.REQUESTED)
    synergy.recompute_all()
    matched = set(SimilarMeasure.objects.filter(measure=own).values_list("other", flat=True))
    assert matched == {other.pk}
    assert same_body.pk not in matched and partnered.pk not in matched
    # A declined partner is suggested again.
    own.partnerships.update(state=PartnershipState.DECLINED)
    synergy.recompute_all()
    matched = set(SimilarMeasure.objects.filter(measure=own).values_list("other", flat=True))
    assert matched == {other.pk, partnered.pk}


def test_withdrawn_measures_are_not_suggested(district, users):
    a = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Mängelmelder")
    b = MeasureFactory(lead_municipality=district["gorleben"], title="Digitaler Mängelmelder")
    synergy.recompute_all()
    assert SimilarMeasure.objects.filter(measure=a, other=b).exists()
    transition_to(b, ReviewState.WITHDRAWN, users["editor_other"], "Doppelt angelegt.")
    recompute_similarity(b.pk)
    assert not SimilarMeasure.objects.filter(other=b).exists()
    assert not SimilarMeasure.objects.filter(measure=b).exists()


def _stored():
    return sorted(
        SimilarMeasure.objects.values_list("measure_id", "other_id", "score", "reasons"),
        key=lambda r: (r[0], -r[2], r[1]),
    )


def test_single_recompute_agrees_with_full_recompute(quality_set):
    full = _stored()
    SimilarMeasure.objects.all().delete()
    for measure in Measure.objects.order_by("pk"):
        synergy.recompute_for(measure.pk)
    assert _stored() == full
    # And the full recompute is deterministic.
    synergy.recompute_all()
    assert _stored() == full


def test_top_n_per_measure(district):
    bodies = [town(i) for i in range(14)]
    for body in bodies:
        MeasureFactory(lead_municipality=body, title="Dorf-App", summary="Eine App fürs Dorf.")
    synergy.recompute_all()
    counts = {m: SimilarMeasure.objects.filter(measure=m).count() for m in Measure.objects.all()}
    assert set(counts.values()) == {synergy.TOP_N}
    last = Measure.objects.order_by("pk").last()
    synergy.recompute_for(last.pk)
    assert SimilarMeasure.objects.filter(measure__in=Measure.objects.all()).count() == (
        14 * synergy.TOP_N
    )


def test_task_tolerates_a_deleted_measure(district):
    a = MeasureFactory(lead_municipality=district["hitzacker"], title="Freies WLAN im Rathaus")
    b = MeasureFactory(lead_municipality=district["gorleben"], title="Freies WLAN im Rathaus")
    synergy.recompute_all()
    pk = b.pk
    b.delete()
    assert recompute_similarity.delay(pk).get() == 0
    assert not SimilarMeasure.objects.filter(measure=a).exists()


def form_data(lead, **overrides):
    data = {
        "title": "Digitale Friedhofsverwaltung",
        "summary": "Grabstellen digital verwalten.",
        "description": "",
        "lead_municipality": lead.pk,
        "field_of_action": FieldOfAction.objects.get(number=2).pk,
        "status": "planned",
        "priority": "medium",
        "version": 1,
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def own(callbacks):
    """The on-commit callbacks but the data version's (core.data_version)."""
    return [c for c in callbacks if not data_version.is_bump(c)]


def test_saving_texts_dispatches_the_task_after_commit(
    as_role, district, django_capture_on_commit_callbacks
):
    other = MeasureFactory(
        lead_municipality=district["gorleben"],
        title="Digitale Friedhofsverwaltung",
        field_of_action=FieldOfAction.objects.get(number=2),
    )
    client = as_role("editor_own")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("measures:create"), form_data(district["hitzacker"]))
    assert len(own(callbacks)) == 1
    measure = Measure.objects.get(lead_municipality=district["hitzacker"])
    row = SimilarMeasure.objects.get(measure=measure)
    assert row.other == other and "gleiches Handlungsfeld" in row.reasons
    # The pair is stored both ways: the other body sees the new measure, too.
    assert SimilarMeasure.objects.filter(measure=other, other=measure).exists()

    # A change of progress only (status) does not rescore.
    data = form_data(district["hitzacker"], status="in_progress", version=measure.version)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("measures:update", args=[measure.pk]), data)
    assert own(callbacks) == []


def test_while_the_worker_is_busy_the_message_says_so(
    as_role, district, django_capture_on_commit_callbacks
):
    MeasureFactory(lead_municipality=district["gorleben"], title="Digitale Friedhofsverwaltung")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_role("editor_own").post(
            reverse("measures:create"), form_data(district["hitzacker"]), follow=True
        )
    assert len(own(callbacks)) == 1  # the task is queued, not yet run
    shown = [str(m) for m in response.context["messages"]]
    assert any("sucht im Hintergrund" in m for m in shown), shown


@pytest.mark.django_db(transaction=True)
def test_after_saving_the_editor_learns_that_others_plan_something_similar(as_role, district):
    for body in ("gorleben", "dannenberg"):
        MeasureFactory(
            lead_municipality=district[body],
            title="Digitale Friedhofsverwaltung",
            field_of_action=FieldOfAction.objects.get(number=2),
        )
    response = as_role("editor_own").post(
        reverse("measures:create"), form_data(district["hitzacker"]), follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("2 Kommunen planen Ähnliches" in m for m in shown), shown
    page = response.content.decode()
    assert "Ähnliche Maßnahmen anderer Kommunen" in page
    assert "Dannenberg (Elbe)" in page and "gleiches Handlungsfeld" in page


def test_clusters_largest_first_across_bodies(district):
    towns = [town(i) for i in range(4)]
    for body in towns:
        MeasureFactory(lead_municipality=body, title="Dorf-App", summary="Neuigkeiten im Dorf.")
    for body in towns[:2]:
        MeasureFactory(lead_municipality=body, title="Digitale Friedhofsverwaltung")
    MeasureFactory(lead_municipality=towns[0], title="Glasfaser für Schulen")
    synergy.recompute_all()
    clusters = synergy.clusters()
    assert [c.size for c in clusters] == [4, 2]
    assert {m.title for m in clusters[0].measures} == {"Dorf-App"}
    assert synergy.cluster_count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_synergy_overview_matrix(as_role, district, role):
    response = as_role(role).get(reverse("measures:synergies"))
    expected = {"anonymous": 302, "coordinator": 200}.get(role, 403)
    assert response.status_code == expected


def test_synergy_overview_query_count_is_flat(as_role, district, django_assert_max_num_queries):
    for i in range(30):
        body = town(i)
        MeasureFactory(lead_municipality=body, title=f"Dorf-App {i % 3}")
    synergy.recompute_all()
    client = as_role("coordinator")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("measures:synergies"))
    assert response.status_code == 200
    assert len(response.context["clusters"]) >= 1


def test_district_dashboard_shows_open_clusters_and_joint_share(as_role, district):
    a = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Mängelmelder")
    MeasureFactory(lead_municipality=district["gorleben"], title="Digitaler Mängelmelder")
    a.partnerships.create(municipality=district["dannenberg"], state=PartnershipState.CONFIRMED)
    synergy.recompute_all()
    response = as_role("council").get(
        reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"])
    )
    assert response.context["synergy_summary"] == {"clusters": 1, "joint": 1, "total": 2}
    assert "Offene Gruppen ähnlicher Maßnahmen" in response.content.decode()
    public = Client().get(reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"]))
    assert "synergy_summary" not in public.context


def test_procedure_hook_is_optional():
    assert synergy.procedure_keys([1, 2]) == {}


def test_advice_never_blocks_saving_without_matches(as_role, district):
    client = as_role("editor_own")
    response = client.post(reverse("measures:create"), form_data(district["hitzacker"]))
    assert response.status_code == 302


def _wait_for(condition, seconds=60):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)  # waiting for another process, not for the clock
    return False


@pytest.mark.celery_worker
def test_recompute_through_a_real_worker(live_worker, district):
    """.ci/run starts a worker on Redis against the test database; the task runs there."""
    a = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Mängelmelder")
    b = MeasureFactory(lead_municipality=district["gorleben"], title="Digitaler Mängelmelder")
    recompute_similarity.delay(a.pk)
    assert _wait_for(lambda: SimilarMeasure.objects.filter(measure=a).exists())
    row = SimilarMeasure.objects.get(measure=a)
    assert row.other == b and "ähnlicher Titel" in row.reasons
    assert SimilarMeasure.objects.filter(measure=b, other=a).exists()
    # A deleted measure is tolerated: the worker skips it and goes on with the next task.
    gone = b.pk
    b.delete()
    recompute_similarity.delay(gone)
    c = MeasureFactory(lead_municipality=district["dannenberg"], title="Digitaler Mängelmelder")
    recompute_similarity.delay(c.pk)
    assert _wait_for(lambda: SimilarMeasure.objects.filter(measure=a, other=c).exists())
