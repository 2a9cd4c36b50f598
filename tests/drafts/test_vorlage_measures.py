"""Issue 23 §2: the Kreistag tells the Vorlage from work in progress.

The measure list filters the measures of the Vorlage ("Maßnahmen der Vorlage (Entwurf 1,
vorgelegt am …)") as presented, the home page links to that filter with its count, and a
measure edited after the Vorlage shows both versions, labelled, the Vorlage's first.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from drafts.models import RenderState, StrategyDraft
from drafts.workflow import freeze, publish
from measures.models import Measure, ReviewState
from measures.publication import latest_presentation

from ..factories import MeasureFactory
from .conftest import accept

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


def present(draft, users):
    """Freeze and lay before the Kreistag without rendering (a PDF takes seconds)."""
    freeze(draft, users["coordinator"], render=False)
    StrategyDraft.objects.filter(pk=draft.pk).update(
        render_state=RenderState.READY, pdf="entwuerfe/test.pdf"
    )
    return publish(
        StrategyDraft.objects.get(pk=draft.pk), users["coordinator"], without_consultation=True
    )


@pytest.fixture
def presented(measures, draft, users):
    return present(draft, users)


def text(response):
    return " ".join(response.content.decode().split())


def shown_ids(response):
    return {m.pk for m in response.context["page"].object_list}


def day(value):
    return timezone.localtime(value).strftime("%d.%m.%Y")


def edit_after_the_vorlage(measure, title):
    """An editor's substantive edit: back to review, the Vorlage keeps the old text."""
    Measure.objects.filter(pk=measure.pk).update(
        title=title,
        summary="Neue, noch nicht angenommene Kurzbeschreibung.",
        review_state=ReviewState.SUBMITTED,
        updated_at=timezone.now(),
    )
    return Measure.objects.get(pk=measure.pk)


def test_presenting_marks_the_measures_of_the_vorlage(presented, measures):
    vorlage = {m["id"] for m in presented.snapshot["measures"]}
    assert vorlage == {m.pk for m in measures["accepted"]}
    marked = set(
        Measure.objects.filter(public_presented_at=presented.published_at).values_list(
            "pk", flat=True
        )
    )
    assert marked == vorlage
    latest = latest_presentation()
    assert latest.version_label == "Entwurf 1"
    assert latest.label == f"Entwurf 1, vorgelegt am {day(presented.published_at)}"
    assert set(Measure.objects.in_latest_presentation(latest).values_list("pk", flat=True)) == (
        vorlage
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_filters_exactly_the_measures_of_the_vorlage(as_role, role, presented, measures):
    client = as_role(role)
    response = client.get(reverse("measures:list"), {"vorgelegt": "1"})
    assert response.status_code == 200
    assert shown_ids(response) == {m["id"] for m in presented.snapshot["measures"]}
    page = text(response)
    label = f"Entwurf 1, vorgelegt am {day(presented.published_at)}"
    assert f"Maßnahmen der Vorlage ({label})" in page
    assert "12 Maßnahmen der Vorlage" in page
    # Unfiltered, staff see the work in progress as well; the public only what was presented.
    everything = shown_ids(client.get(reverse("measures:list")))
    in_progress = {measures["submitted"].pk, measures["draft"].pk}
    if role == "anonymous":
        assert not everything & in_progress
    else:
        assert in_progress <= everything


def test_without_a_vorlage_there_is_no_such_filter(as_role, measures):
    response = as_role("council").get(reverse("measures:list"))
    assert "vorgelegt" not in response.context["filter_form"].fields
    assert "Vorlage an den Kreistag" not in text(response)


def test_only_the_latest_vorlage_counts(presented, measures, users, as_role):
    # Version 2: one measure of version 1 was withdrawn in between, a new one accepted.
    gone = measures["accepted"][0]
    Measure.objects.filter(pk=gone.pk).update(review_state=ReviewState.WITHDRAWN)
    new = accept(MeasureFactory(lead_municipality=gone.lead_municipality, title="Neu"), users)
    second = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 2",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=users["coordinator"],
    )
    second = present(second, users)
    response = as_role("anonymous").get(reverse("measures:list"), {"vorgelegt": "1"})
    ids = shown_ids(response)
    assert new.pk in ids and gone.pk not in ids
    assert ids == {m["id"] for m in second.snapshot["measures"]}
    assert f"Entwurf 2, vorgelegt am {day(second.published_at)}" in text(response)
    # The withdrawn measure stays public in version 1's text, and says so.
    page = text(as_role("anonymous").get(gone.get_absolute_url()))
    assert f"Fassung der Vorlage (Entwurf 1, vorgelegt am {day(presented.published_at)})" in page
    assert "in der neuesten Vorlage (Entwurf 2" in page


def test_the_council_reads_the_vorlage_first_on_a_measure_changed_since(
    as_role, presented, measures
):
    measure = measures["accepted"][1]
    old_title = measure.title
    measure = edit_after_the_vorlage(measure, "Ganz neuer Titel nach der Vorlage")
    label = f"Entwurf 1, vorgelegt am {day(presented.published_at)}"
    page = text(as_role("council").get(measure.get_absolute_url()))
    vorlage = page.index(f"Fassung der Vorlage ({label})")
    current = page.index(
        f"Aktuelle Bearbeitung (noch nicht angenommen, Stand {day(measure.updated_at)})"
    )
    assert vorlage < current
    # The Vorlage's text first (also the page's heading), the new text after its label.
    assert f"<h1>{old_title}</h1>" in page
    assert page.index(f"Kurzbeschreibung {measure.field_of_action.number}.2.") < current
    assert page.index("Neue, noch nicht angenommene Kurzbeschreibung.") > current
    assert "Titel jetzt:</strong> Ganz neuer Titel nach der Vorlage" in page
    # The review panel names the version drafts take over.
    assert "Entwürfe verwenden bis zur erneuten Annahme diese Fassung" not in page
    assert (
        f"übernimmt bis zur erneuten Annahme die am {day(measure.accepted_at)} angenommene "
        "Fassung, nicht die aktuelle Bearbeitung" in page
    )
    assert f"dem Kreistag liegt die Fassung der Vorlage ({label}) vor" in page
    # The filtered list shows the Vorlage's title and says that it was edited since.
    listed = as_role("council").get(reverse("measures:list"), {"vorgelegt": "1"})
    row = next(m for m in listed.context["page"].object_list if m.pk == measure.pk)
    assert row.title == old_title
    assert row.changed_since_presentation
    assert text(listed).count("Seit der Vorlage bearbeitet") == 1


@pytest.mark.parametrize("role", ["editor_own", "coordinator"])
def test_staff_see_both_versions_labelled(as_role, role, presented, measures):
    measure = edit_after_the_vorlage(measures["accepted"][1], "Neuer Titel")
    page = text(as_role(role).get(measure.get_absolute_url()))
    assert page.index("Fassung der Vorlage (Entwurf 1") < page.index("Aktuelle Bearbeitung")


def test_the_public_reads_only_the_vorlage(as_role, presented, measures):
    measure = edit_after_the_vorlage(measures["accepted"][1], "Unveröffentlichter Titel")
    page = text(as_role("anonymous").get(measure.get_absolute_url()))
    assert "Unveröffentlichter Titel" not in page
    assert "Aktuelle Bearbeitung" not in page
    assert f"Fassung der Vorlage (Entwurf 1, vorgelegt am {day(presented.published_at)})." in page


def test_an_unchanged_measure_says_it_is_the_vorlages_version(as_role, presented, measures):
    page = text(as_role("council").get(measures["accepted"][2].get_absolute_url()))
    assert "Diese Fassung liegt dem Kreistag mit der Vorlage (Entwurf 1" in page
    assert "Aktuelle Bearbeitung" not in page
    other = text(as_role("council").get(measures["submitted"].get_absolute_url()))
    assert "Diese Maßnahme ist nicht Teil der Vorlage (Entwurf 1" in other


def test_a_progress_change_and_a_new_acceptance_are_named(as_role, presented, measures):
    progress = measures["accepted"][2]
    Measure.objects.filter(pk=progress.pk).update(status="completed", updated_at=timezone.now())
    page = text(as_role("council").get(progress.get_absolute_url()))
    assert "Aktueller Stand (seit der Vorlage hat sich nur der Fortschritt geändert" in page
    again = measures["accepted"][3]
    now = timezone.now()
    Measure.objects.filter(pk=again.pk).update(accepted_at=now, updated_at=now)
    page = text(as_role("council").get(again.get_absolute_url()))
    assert f"Aktuelle Fassung (angenommen am {day(now)}, dem Kreistag noch nicht vorgelegt" in page


@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_links_the_vorlage_with_its_count(as_role, role, presented, measures):
    response = as_role(role).get(reverse("home"))
    page = text(response)
    label = f"Entwurf 1, vorgelegt am {day(presented.published_at)}"
    assert (
        f'href="{reverse("measures:list")}?vorgelegt=1" id="vorlage-massnahmen">Die 12 '
        f"Maßnahmen der Vorlage ansehen ({label})</a>" in page
    )
    if role == "anonymous":
        assert "auch die noch nicht vorgelegten" not in page
    else:
        assert "Alle 14 Maßnahmen ansehen, auch die noch nicht vorgelegten" in page


@pytest.mark.parametrize("role", ["anonymous", "council"])
def test_the_export_with_the_filter_holds_the_vorlage_as_presented(
    as_role, role, presented, measures
):
    edit_after_the_vorlage(measures["accepted"][1], "Unangenommener Titel")
    response = as_role(role).get(reverse("measures:export", args=["csv"]), {"vorgelegt": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert measures["accepted"][1].title in content
    assert "Unangenommener Titel" not in content
    assert measures["submitted"].title not in content
    assert content.strip().count("\n") == 12  # the header and the Vorlage's twelve measures


def test_the_migration_fills_in_the_vorlagen_presented_before(presented, measures):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("drafts.migrations.0008_measures_presented_in_vorlagen")
    Measure.objects.update(public_presented_at=None)
    migration.backfill(apps, None)
    marked = set(
        Measure.objects.filter(public_presented_at=presented.published_at).values_list(
            "pk", flat=True
        )
    )
    assert marked == {m["id"] for m in presented.snapshot["measures"]}
    assert not Measure.objects.filter(
        pk=measures["submitted"].pk, public_presented_at__isnull=False
    )
