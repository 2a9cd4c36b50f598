"""Views: permission matrix, manual entry, indicator CRUD, dashboard and its query count."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from evaluation.models import Assessment, CollectionRun, Indicator, Measurement
from measures.models import Status
from tests.factories import MeasureFactory

from .factories import AssessmentFactory, IndicatorFactory, MeasurementFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
EDITORS = {"editor_own", "samtgemeinde_editor", "coordinator"}


def indicator_post(**overrides):
    data = {
        "name": "Anteil online gestellter Anträge",
        "description": "Anteil der Anträge im Bürgerbüro, die online eingehen.",
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
        "source_note": "eigene Zählung",
        "portal_metric": "share_completed",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_indicator_create_permission_matrix(as_role, role, measure):
    client = as_role(role)
    url = reverse("evaluation:indicator_create", args=[measure.pk])
    response = client.post(url, indicator_post())
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in EDITORS:
        assert response.status_code == 302
        indicator = Indicator.objects.get()
        assert indicator.baseline_value == D("12.5")
        assert response["Location"] == indicator.get_absolute_url()
    else:
        assert response.status_code == 403
        assert not Indicator.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_measurement_entry_permission_matrix(as_role, role, measure):
    indicator = IndicatorFactory(measure=measure)
    response = as_role(role).post(
        reverse("evaluation:measurement_save", args=[indicator.pk]),
        {"period": "2025", "value": "17,25", "note": "Zählung Bürgerbüro"},
    )
    if role in EDITORS:
        assert response.status_code == 302
        measurement = Measurement.objects.get()
        assert (measurement.period, measurement.value) == (datetime.date(2025, 1, 1), D("17.25"))
        assert measurement.origin == "manual" and measurement.recorded_by is not None
    else:
        assert response.status_code in (302, 403)
        assert not Measurement.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_indicator_update_and_delete_matrix(as_role, role, measure):
    indicator = IndicatorFactory(measure=measure)
    client = as_role(role)
    update = client.get(reverse("evaluation:indicator_update", args=[indicator.pk]))
    delete = client.post(reverse("evaluation:indicator_delete", args=[indicator.pk]))
    if role in EDITORS:
        assert update.status_code == 200
        assert delete.status_code == 302 and not Indicator.objects.exists()
    elif role == "anonymous":
        assert update.status_code == delete.status_code == 302
        assert Indicator.objects.exists()
    else:
        assert update.status_code == delete.status_code == 403
        assert Indicator.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_read_access(as_role, role, measure):
    indicator = IndicatorFactory(measure=measure)
    client = as_role(role)
    detail = client.get(indicator.get_absolute_url())
    dashboard = client.get(reverse("evaluation:overview"), follow=True)
    assert dashboard.status_code == 200
    # Unpublished measures (and their indicators) are internal until the draft is published.
    assert detail.status_code == (404 if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_gathering_trigger_and_runs_only_for_the_coordinator(as_role, role, measure):
    IndicatorFactory(measure=measure, source_kind="portal")
    client = as_role(role)
    response = client.post(reverse("evaluation:gather_all"))
    runs = client.get(reverse("evaluation:run_list"))
    if role == "coordinator":
        assert response.status_code == 302
        assert CollectionRun.objects.get().indicators_total == 1
        assert runs.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert not CollectionRun.objects.exists()
        assert runs.status_code in (302, 403)


@pytest.mark.parametrize("role", ROLES)
def test_assessment_permission_matrix(as_role, role, measure):
    response = as_role(role).post(
        reverse("evaluation:assessment_create", args=[measure.pk]),
        {
            "assessed_on": "2026-11-20",
            "verdict": "partly",
            "justification": "Mehr Online-Anträge, aber die Bearbeitungszeit sinkt kaum.",
        },
    )
    if role in EDITORS:
        assert response.status_code == 302
        assert Assessment.objects.get().verdict == "partly"
    else:
        assert response.status_code in (302, 403)
        assert not Assessment.objects.exists()


def test_editor_may_not_touch_another_bodys_indicator(as_role, other_measure):
    indicator = IndicatorFactory(measure=other_measure)
    client = as_role("editor_own")
    assert (
        client.get(reverse("evaluation:indicator_update", args=[indicator.pk])).status_code == 403
    )
    response = client.post(
        reverse("evaluation:measurement_save", args=[indicator.pk]),
        {"period": "2025", "value": "1"},
    )
    assert response.status_code == 403


def test_correcting_a_value_replaces_it(as_role, measure):
    indicator = IndicatorFactory(measure=measure, frequency="quarterly")
    client = as_role("editor_own")
    url = reverse("evaluation:measurement_save", args=[indicator.pk])
    client.post(url, {"period": "2025-Q2", "value": "10"})
    client.post(url, {"period": "Q2/2025", "value": "11,5", "note": "korrigiert"})
    measurement = Measurement.objects.get()
    assert (measurement.period, measurement.value) == (datetime.date(2025, 4, 1), D("11.5"))
    assert measurement.note == "korrigiert"


def test_bad_manual_input_is_shown_and_nothing_stored(as_role, measure):
    indicator = IndicatorFactory(measure=measure)
    response = as_role("editor_own").post(
        reverse("evaluation:measurement_save", args=[indicator.pk]),
        {"period": "letztes Jahr", "value": "viel"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Unbekanntes Zeitraum-Format" in content
    assert "Bitte geben Sie eine Zahl an" in content
    assert not Measurement.objects.exists()


def test_indicator_form_validates_direction_and_source(as_role, measure):
    client = as_role("editor_own")
    url = reverse("evaluation:indicator_create", args=[measure.pk])
    response = client.post(url, indicator_post(target_value="5"))
    assert "darf der Zielwert nicht unter dem Ausgangswert liegen" in response.content.decode()
    response = client.post(url, indicator_post(source_kind="csv_url"))
    assert "wird eine Adresse benötigt" in response.content.decode()
    response = client.post(
        url,
        indicator_post(
            source_kind="json_url", source_url="https://example.org/werte.json", json_path="data"
        ),
    )
    assert response.status_code == 302
    assert Indicator.objects.get().source_options == {"path": "data"}


def test_measure_detail_shows_the_evaluation(as_role, measure):
    indicator = IndicatorFactory(measure=measure, name="Bearbeitungszeit in Tagen")
    MeasurementFactory(indicator=indicator, value=D("21"))
    AssessmentFactory(measure=measure)
    response = as_role("editor_own").get(measure.get_absolute_url())
    content = response.content.decode()
    assert 'id="evaluierung"' in content
    assert "Bearbeitungszeit in Tagen" in content
    assert "teilweise erreicht" in content
    assert reverse("evaluation:indicator_create", args=[measure.pk]) in content


def _populate(district, count):
    for n in range(count):
        measure = MeasureFactory(
            lead_municipality=district["hitzacker" if n % 2 else "gorleben"],
            status=Status.IN_PROGRESS,
        )
        indicator = IndicatorFactory(measure=measure, frequency="monthly")
        MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=n)
    MeasureFactory(lead_municipality=district["dannenberg"], status=Status.IN_PROGRESS)


@pytest.mark.parametrize("path", ["dashboard", "municipality"])
def test_dashboard_query_count_is_constant(
    as_role, district, fields_of_action, django_assert_max_num_queries, path
):
    client = as_role("coordinator")
    url = (
        reverse("evaluation:overview")
        if path == "dashboard"
        else reverse("evaluation:municipality_overview", args=["sg-elbtalaue"])
    )
    _populate(district, 3)
    # Counts, one page of measures and three short lists with their totals (issue 13).
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    _populate(district, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_dashboard_numbers(as_role, district, measure, other_measure):
    indicator = IndicatorFactory(measure=measure, baseline_date=datetime.date(2026, 1, 1))
    MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=D("20"))
    MeasureFactory(lead_municipality=district["dannenberg"], status=Status.PLANNED)
    response = as_role("coordinator").get(reverse("evaluation:overview"))
    assert response.context["in_progress_count"] == 2
    assert response.context["evaluated_count"] == 1
    assert response.context["evaluated_share"] == 50
    assert len(response.context["without_indicators"]) == 2
    content = response.content.decode()
    assert 'role="img"' in content and '<title id="chart-felder-title">' in content
    assert "50 %" in content


def test_indicator_detail_chart_and_table(as_role, measure):
    indicator = IndicatorFactory(measure=measure, unit="Tage", name="Bearbeitungszeit in Tagen")
    for year, value in ((2025, "30"), (2026, "24,5")):
        MeasurementFactory(
            indicator=indicator, period=datetime.date(year, 1, 1), value=D(value.replace(",", "."))
        )
    content = as_role("council").get(indicator.get_absolute_url()).content.decode()
    assert (
        "<svg" in content and 'aria-labelledby="chart-verlauf-title chart-verlauf-desc"' in content
    )
    assert "<polyline" in content
    assert "24,5" in content


def test_overdue_assessments(as_role, district, measure, other_measure):
    old = datetime.date.today() - datetime.timedelta(days=500)
    Assessment.objects.create(
        measure=measure, verdict="too_early", justification="Zu früh.", assessed_on=old
    )
    AssessmentFactory(measure=other_measure)  # assessed today
    response = as_role("coordinator").get(reverse("evaluation:overdue_list"))
    assert [m.pk for m in response.context["measures"]] == [measure.pk]
    own = as_role("editor_other").get(reverse("evaluation:overdue_list"))
    assert list(own.context["measures"]) == []


def test_measure_detail_query_count_does_not_grow_with_indicators(
    as_role, measure, django_assert_max_num_queries
):
    client = as_role("coordinator")
    IndicatorFactory(measure=measure)
    with django_assert_max_num_queries(30) as few:
        client.get(measure.get_absolute_url())
    for _ in range(10):
        MeasurementFactory(indicator=IndicatorFactory(measure=measure))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(measure.get_absolute_url())


def test_coordinator_gathers_one_indicator(as_role, measure, eager_celery):
    indicator = IndicatorFactory(measure=measure, source_kind="portal")
    response = as_role("coordinator").post(
        reverse("evaluation:gather_indicator", args=[indicator.pk])
    )
    assert response.status_code == 302
    # The run is opened for exactly this indicator; its task is queued on commit.
    assert CollectionRun.objects.get().indicators_total == 1


@pytest.mark.parametrize("role", ROLES)
def test_measurement_delete_matrix(as_role, role, measure):
    measurement = MeasurementFactory(indicator__measure=measure)
    response = as_role(role).post(reverse("evaluation:measurement_delete", args=[measurement.pk]))
    deleted = not Measurement.objects.filter(pk=measurement.pk).exists()
    assert deleted == (role in EDITORS)
    assert response.status_code in ((302,) if role in EDITORS | {"anonymous"} else (403,))


def test_public_sees_the_published_title_not_unreviewed_edits(client, measure):
    from tests.factories import publish_now

    from .factories import IndicatorFactory

    indicator = IndicatorFactory(measure=measure, name="Anteil online")
    measure = publish_now(measure)
    measure.title = "GEHEIM-NEUER-TITEL"
    measure.save()
    for url in (reverse("evaluation:overview"), indicator.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Online-Anträge im Bürgerbüro" in html
        assert "GEHEIM-NEUER-TITEL" not in html


def test_public_measure_page_shows_whether_it_works(client, measure):
    from tests.factories import publish_now

    from .factories import IndicatorFactory, MeasurementFactory

    indicator = IndicatorFactory(measure=measure, name="Anteil online gestellter Anträge")
    MeasurementFactory(indicator=indicator, value=12)
    measure = publish_now(measure)
    html = client.get(measure.get_absolute_url()).content.decode()
    assert "Anteil online gestellter Anträge" in html
    assert "Indikator hinzufügen" not in html and "Bewertung erfassen" not in html


def test_samtgemeinde_evaluation_includes_measures_its_members_take_part_in(
    as_role, district, other_measure
):
    """Same scope as the measures dashboard: Gorleben's measure with Hitzacker as partner."""
    from measures.models import Partnership

    from .factories import IndicatorFactory

    IndicatorFactory(measure=other_measure)
    Partnership.objects.create(
        measure=other_measure, municipality=district["hitzacker"], state="confirmed"
    )
    response = as_role("samtgemeinde_editor").get(
        reverse("evaluation:municipality_overview", args=["sg-elbtalaue"])
    )
    assert [group.key for group in response.context["by_measure"]] == [other_measure]


def test_overdue_list_is_paged_with_flat_queries(as_role, district, django_assert_max_num_queries):
    from django.utils import timezone

    from measures.models import Measure

    def overdue(count):
        for i in range(count):
            m = MeasureFactory(
                lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS, title=f"Ü {i}"
            )
            Measure.objects.filter(pk=m.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=800)
            )

    client = as_role("coordinator")
    overdue(5)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("evaluation:overdue_list"))
    overdue(70)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("evaluation:overdue_list"))
    assert response.context["page"].paginator.count == 75
    assert len(response.context["measures"]) == 50
    html = response.content.decode()
    assert "75 Maßnahmen, am längsten unbewertete zuerst (Seite 1 von 2)" in html
    second = client.get(reverse("evaluation:overdue_list"), {"page": "2"})
    assert len(second.context["measures"]) == 25
