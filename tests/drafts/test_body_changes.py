"""Fortschreibung per body (issue 20 §7): what changed for each deciding body since the
version its council adopted, on the adoption overview and in the body's Vorlage."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from drafts import adoption
from drafts.adoption_models import DecisionProcedure, Outcome
from drafts.body_changes import body_changes
from drafts.models import DraftState, StrategyDraft
from drafts.workflow import freeze
from measures.models import Measure, Partnership
from measures.review import ReviewState, after_edit, transition_to
from tests.drafts.test_body_document import _get, _reader
from tests.drafts.test_council_document import _text
from tests.pdf_ua import pdf_ua_problems

pytestmark = pytest.mark.django_db


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


def _at(day):
    return time_machine.travel(datetime.datetime(*day, 9, 0, tzinfo=datetime.UTC), tick=False)


def _version(label, users, day):
    """A new version, frozen on ``day``, presented and with its deciding bodies."""
    with _at(day):
        draft = StrategyDraft.objects.create(
            title="Interkommunale Digitalisierungsstrategie",
            version_label=label,
            resolution_date=datetime.date(2026, 6, 18),
            introduction="Der Kreistag hat die Kreisverwaltung beauftragt.",
        )
        freeze(draft, users["coordinator"], render=False)
        StrategyDraft.objects.filter(pk=draft.pk).update(
            state=DraftState.PUBLISHED, published_at=datetime.datetime.now(datetime.UTC)
        )
        adoption.set_up(draft, users["coordinator"])
    return StrategyDraft.objects.get(pk=draft.pk)


def _decide(draft, body, users, outcome=Outcome.ADOPTED, day=(2027, 3, 10), changes=""):
    procedure = DecisionProcedure.objects.get(draft=draft, municipality=body)
    with _at(day):
        adoption.record(
            procedure,
            users["coordinator"],
            decided_on=datetime.date(*day),
            outcome=outcome,
            number="B-1",
            changes=changes,
        )


@pytest.fixture
def two_versions(measures, users, district):
    """Version 1 adopted by Elbtalaue (with changes), rejected by Gartow; then for version 2:
    a Hitzacker measure renamed, an Elbtalaue measure dropped, Dannenberg leaves Gorleben's
    joint measure (which stays in the strategy) and a new Hitzacker measure."""
    first = _version("Fassung 2027", users, (2027, 2, 1))
    _decide(
        first, district["elbtalaue"], users, Outcome.ADOPTED_WITH_CHANGES, changes="M-1 später."
    )
    _decide(first, district["gartow"], users, Outcome.REJECTED)
    accepted = Measure.objects.filter(pk__in=[m.pk for m in measures["accepted"]])
    renamed = accepted.filter(lead_municipality=district["hitzacker"]).order_by("pk").first()
    dropped = accepted.filter(lead_municipality=district["elbtalaue"]).order_by("pk").first()
    left = Partnership.objects.filter(
        municipality=district["dannenberg"], measure__lead_municipality=district["gorleben"]
    ).first()
    with _at((2027, 3, 15)):
        renamed.title = "Digitale Bauakte für alle"
        renamed.save()
        after_edit(renamed, users["editor_own"])
        transition_to(renamed, ReviewState.ACCEPTED, users["coordinator"])
        Measure.objects.filter(pk=dropped.pk).delete()
        left.delete()
        new = measures["submitted"]
        transition_to(new, ReviewState.ACCEPTED, users["coordinator"])
    second = _version("Fassung 2028", users, (2027, 4, 1))
    return {
        "first": first,
        "second": second,
        "renamed": renamed,
        "dropped": dropped,
        "left": left.measure,
        "new": new,
    }


def _changes(draft):
    procedures = list(DecisionProcedure.objects.filter(draft=draft).select_related("municipality"))
    return body_changes(draft, procedures)


def test_each_body_sees_what_changed_for_it_since_its_adoption(two_versions, district):
    changes = _changes(two_versions["second"])
    elbtalaue = changes[district["elbtalaue"].pk]
    assert elbtalaue.adopted and elbtalaue.with_changes
    assert elbtalaue.adopted_version == "Fassung 2027"
    assert elbtalaue.heading == "Änderungen seit dem Beschluss vom 10. März 2027"
    assert [(c["id"], c["note"]) for c in elbtalaue.new] == [
        (two_versions["new"].pk, "neu in der Strategie")
    ]
    assert sorted((c["id"], c["note"]) for c in elbtalaue.removed) == sorted(
        [
            (two_versions["dropped"].pk, "entfallen"),
            (two_versions["left"].pk, "nicht mehr beteiligt"),
        ]
    )
    assert [c["id"] for c in elbtalaue.changed] == [two_versions["renamed"].pk]
    assert "Titel" in elbtalaue.changed[0]["fields"]
    # Gartow's council rejected version 1: nothing it adopted to compare with.
    assert not changes[district["gartow"].pk].adopted
    assert not changes[district["district"].pk].adopted


def test_no_changes_since_the_adoption(measures, users, district):
    first = _version("Fassung 2027", users, (2027, 2, 1))
    _decide(first, district["elbtalaue"], users)
    second = _version("Fassung 2028", users, (2027, 4, 1))
    changes = _changes(second)[district["elbtalaue"].pk]
    assert changes.adopted and changes.is_empty
    page = _overview(second)
    assert "Keine Änderungen seit dem Beschluss vom 10. März 2027 (Fassung 2027)." in page


def test_the_latest_adoption_of_an_earlier_version_counts(two_versions, users, district):
    """Adopted again (version 2): version 3 compares with version 2, not version 1."""
    _decide(two_versions["second"], district["elbtalaue"], users, day=(2027, 5, 5))
    third = _version("Fassung 2029", users, (2027, 6, 1))
    changes = _changes(third)[district["elbtalaue"].pk]
    assert changes.adopted_version == "Fassung 2028" and changes.is_empty
    # Version 2's own overview still compares with version 1.
    assert not _changes(two_versions["second"])[district["elbtalaue"].pk].is_empty


def _overview(draft, client=None):
    from django.test import Client

    client = client or Client()
    with _at((2027, 4, 2)):
        response = client.get(reverse("drafts:adoption", args=[draft.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_overview_shows_the_changes_per_body_to_the_public(two_versions):
    page = _overview(two_versions["second"])  # presented: the public sees it
    assert "Was sich für die Räte geändert hat" in page
    assert (
        "Samtgemeinde Elbtalaue:</strong> 1 neu, 2 entfallen, 1 geändert seit dem Beschluss vom "
        "10. März 2027 (Fassung 2027)" in page
    )
    assert "Digitale Bauakte für alle" in page
    assert "nicht mehr beteiligt" in page
    assert "Samtgemeinde Gartow:</strong> Der Rat hat noch keine Fassung beschlossen." in page
    assert "Der Kreistag hat noch keine Fassung beschlossen." in page


def test_the_overview_keeps_its_query_count_with_more_versions(
    two_versions, users, district, django_assert_max_num_queries
):
    from django.test import Client

    client = Client()
    with _at((2027, 4, 2)), django_assert_max_num_queries(30) as few:
        client.get(reverse("drafts:adoption", args=[two_versions["second"].pk]))
    _decide(two_versions["second"], district["gartow"], users, day=(2027, 5, 5))
    _decide(two_versions["second"], district["elbtalaue"], users, day=(2027, 5, 6))
    third = _version("Fassung 2029", users, (2027, 6, 1))
    with _at((2027, 6, 2)), django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("drafts:adoption", args=[third.pk]))


def test_the_bodys_vorlage_has_the_section(two_versions, as_role, tmp_path):
    second = two_versions["second"]
    client = as_role("coordinator")
    data, reader = _reader(_get(client, second, "sg-elbtalaue"))
    text = " ".join(_text(reader).split())
    section = text[text.index("Änderungen seit dem Beschluss vom 10. März 2027") :]
    section = section[: section.index("Stellungnahme in der Abstimmung")]
    assert "die der Rat am 10. März 2027 mit Änderungen beschlossen hat" in section
    assert f"{two_versions['new'].reference} " in section
    assert "neu in der Strategie" in section and "entfallen" in section
    assert f"{two_versions['renamed'].reference} Digitale Bauakte für alle" in section
    assert pdf_ua_problems(data, tmp_path) == []
    _data, gartow = _reader(_get(client, second, "sg-gartow"))
    text = " ".join(_text(gartow).split())
    assert (
        "Änderungen seit dem letzten Beschluss Der Rat hat noch keine Fassung beschlossen." in text
    )


def test_the_kreistag_compares_all_measures(two_versions, users, district):
    """The Kreistag decides on the whole strategy: every change counts for it."""
    _decide(two_versions["first"], district["district"], users, day=(2027, 3, 11))
    changes = _changes(two_versions["second"])[district["district"].pk]
    assert changes.adopted and changes.adopted_version == "Fassung 2027"
    assert [c["id"] for c in changes.new] == [two_versions["new"].pk]
    assert [(c["id"], c["note"]) for c in changes.removed] == [
        (two_versions["dropped"].pk, "entfallen")
    ]
    changed = {c["id"]: c["fields"] for c in changes.changed}
    assert "Titel" in changed[two_versions["renamed"].pk]
    assert "beteiligte Kommunen" in changed[two_versions["left"].pk]  # still in, for Gorleben
    page = _overview(two_versions["second"])
    assert "Landkreis Lüchow-Dannenberg:</strong> 1 neu, 1 entfallen, 2 geändert" in page


def test_a_gemeinderat_sees_only_its_own_measures(two_versions, users, district):
    """A town council added as deciding body: Hitzacker's own measures only, not its
    Samtgemeinde's or the other members'."""
    first, second = two_versions["first"], two_versions["second"]
    with _at((2027, 3, 1)):
        adoption.add_body(first, users["coordinator"], district["hitzacker"])
    _decide(first, district["hitzacker"], users, day=(2027, 3, 12))
    with _at((2027, 4, 1)):
        adoption.add_body(second, users["coordinator"], district["hitzacker"])
    changes = _changes(second)[district["hitzacker"].pk]
    assert [c["id"] for c in changes.new] == [two_versions["new"].pk]
    assert [c["id"] for c in changes.changed] == [two_versions["renamed"].pk]
    assert changes.removed == []  # Elbtalaue's dropped measure was never Hitzacker's
