"""The Abstimmung as the district is organised (issue 19 §2, §3): a Samtgemeinde's editor
answers for it and its members in one save; the coordinator enters a position only on a
body's behalf, with its source; nobody replaces a position the body gave itself."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from drafts.consultation import close, submit_group, submit_position
from drafts.models import EntryKind, Position, SourceKind, Stance, StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import DraftError, freeze
from municipalities.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 4)


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True
WORLD_TIME = datetime.datetime(
    2027, 1, 4, 9, 0, tzinfo=datetime.UTC
)  # the moment _today travels to


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def frozen_draft(measures, draft, users):
    return freeze(draft, users["coordinator"], render=False)


@pytest.fixture
def consultation(frozen_draft, users):
    from drafts.consultation import open_consultation

    return open_consultation(frozen_draft, users["coordinator"], TODAY + datetime.timedelta(14))


@pytest.fixture
def gartow_editor(district):
    user = UserFactory(username="sg-gartow", email="redaktion@gartow.example.org")
    MembershipFactory(user=user, municipality=district["gartow"], role=Role.EDITOR)
    return user


def _url(draft):
    return reverse("drafts:consultation", args=[draft.pk])


REMARKS_MANAGEMENT = {
    "remarks-TOTAL_FORMS": "3",
    "remarks-INITIAL_FORMS": "0",
    "remarks-MIN_NUM_FORMS": "0",
    "remarks-MAX_NUM_FORMS": "100",
}


def _single(body, stance=Stance.AGREE, text="", source=None):
    data = {"municipality": body.pk, "stance": stance, "text": text, **REMARKS_MANAGEMENT}
    if source:
        data["quelle-source_kind"], data["quelle-source_date"] = source
    return data


def _group(samtgemeinde, stance=Stance.AGREE, text="", members=None, remarks=()):
    data = {"samtgemeinde": samtgemeinde.pk, "stance": stance, "text": text}
    data.update(REMARKS_MANAGEMENT)
    for pk, (choice, reason) in (members or {}).items():
        data[f"mitglied-{pk}-stance"] = choice
        data[f"mitglied-{pk}-text"] = reason
    for i, (measure_id, remark) in enumerate(remarks):
        data[f"remarks-{i}-measure"] = str(measure_id)
        data[f"remarks-{i}-text"] = remark
    return data


# --- positions on a body's behalf ------------------------------------------------------------


def test_the_coordinator_never_replaces_a_position_the_body_gave_itself(
    as_role, consultation, frozen_draft, district, users, gartow_editor
):
    submit_position(consultation, gartow_editor, district["gartow"], Stance.OBJECT, "Zu teuer.", {})
    client = as_role("coordinator")
    page = client.get(_url(frozen_draft) + f"?kommune={district['gartow'].pk}")
    html = page.content.decode()
    assert "Samtgemeinde Gartow: <strong>Ablehnung</strong>" in html
    assert "abgegeben von der Kommune selbst" in html and "wird nicht ersetzt" in html
    response = client.post(
        _url(frozen_draft),
        _single(district["gartow"], Stance.AGREE, source=("letter", "2027-01-03")),
    )
    assert response.status_code == 200
    assert "Samtgemeinde Gartow hat selbst Stellung genommen" in response.content.decode()
    position = Position.objects.get(municipality=district["gartow"])
    assert (position.stance, position.entered_as) == (Stance.OBJECT, EntryKind.OWN)
    assert position.submitted_by == gartow_editor
    with pytest.raises(DraftError, match="nicht ersetzt"):
        submit_position(
            consultation,
            users["coordinator"],
            district["gartow"],
            Stance.AGREE,
            "",
            {},
            (SourceKind.LETTER, datetime.date(2027, 1, 3)),
        )


def test_the_coordinator_enters_a_position_only_with_its_source_marked_and_logged(
    as_role, consultation, frozen_draft, district, users, security_events
):
    client = as_role("coordinator")
    url = _url(frozen_draft)
    form = client.get(url + f"?kommune={district['gorleben'].pk}").content.decode()
    assert "Stellungnahme im Auftrag von Gorleben eintragen" in form
    unsourced = client.post(url, _single(district["gorleben"])).content.decode()
    assert "Bitte geben Sie an, woher die Stellungnahme stammt." in unsourced
    assert "Bitte geben Sie das Datum der Quelle an." in unsourced
    assert not Position.objects.exists()
    response = client.post(
        url, _single(district["gorleben"], Stance.AGREE, source=("letter", "2027-01-03"))
    )
    assert response.status_code == 302
    position = Position.objects.get()
    assert position.entered_as == EntryKind.COORDINATOR
    assert (position.source_kind, position.source_date) == (
        SourceKind.LETTER,
        datetime.date(2027, 1, 3),
    )
    note = (
        "eingetragen von der Koordinierungsstelle für Gorleben, "
        "Quelle: Schreiben vom 3. Januar 2027"
    )
    assert note in as_role("editor_other").get(url).content.decode()
    client = as_role("coordinator")
    assert note in client.get(url).content.decode()
    assert position.history.count() == 1
    assert position.history.first().history_user == users["coordinator"]
    [event] = security_events("position_on_behalf")
    assert event["actor"] == "koordination" and event["municipality"] == district["gorleben"].pk
    assert event["source"] == "Schreiben vom 3. Januar 2027"
    # The coordinator may correct its own entry; the body's own editors may replace it.
    client.post(
        url,
        _single(
            district["gorleben"],
            Stance.OBJECT,
            "Laut Ratsbeschluss.",
            ("council_decision", "2027-01-02"),
        ),
    )
    position.refresh_from_db()
    assert position.stance == Stance.OBJECT and position.source_kind == SourceKind.COUNCIL_DECISION
    as_role("editor_other").post(url, _single(district["gorleben"], Stance.AGREE))
    position.refresh_from_db()
    assert (position.stance, position.entered_as, position.source_kind) == (
        Stance.AGREE,
        EntryKind.OWN,
        "",
    )


def test_the_pdf_annex_says_who_entered_a_position_on_whose_behalf(
    consultation, frozen_draft, district, users
):
    submit_position(
        consultation,
        users["coordinator"],
        district["gorleben"],
        Stance.AGREE_WITH_REMARKS,
        "Mit Hinweisen.",
        {},
        (SourceKind.EMAIL, datetime.date(2026, 12, 3)),
    )
    submit_group(
        consultation, users["samtgemeinde_editor"], district["elbtalaue"], Stance.AGREE, "", {},
        {district["hitzacker"].pk: None, district["dannenberg"].pk: (Stance.OBJECT, "Nein.")},
    )  # fmt: skip
    close(consultation, users["coordinator"])
    drafted = render_now(StrategyDraft.objects.get(pk=frozen_draft.pk))
    with drafted.pdf.open("rb") as handle:
        text = " ".join(
            " ".join(page.extract_text().split())
            for page in PdfReader(io.BytesIO(handle.read())).pages
        )
    assert (
        "eingetragen von der Koordinierungsstelle für Gorleben, Quelle: E-Mail vom 3. Dezember 2026"
        in text
    )
    assert "eingetragen von der Samtgemeinde Elbtalaue für Dannenberg (Elbe)" in text
    assert "(wie die Samtgemeinde)" in text
    assert "erika" not in text.lower()  # no personal data in the annex


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"quelle-source_date": "9999-01-01"}, "zwischen 1900 und heute"),
        ({"quelle-source_date": "2027-01-05"}, "zwischen 1900 und heute"),
        ({"quelle-source_date": "1899-12-31"}, "zwischen 1900 und heute"),
        ({"quelle-source_date": "03.13.2026"}, "Bitte geben Sie ein Datum an"),
        ({"quelle-source_kind": "phone"}, "Bitte wählen Sie Schreiben, Ratsbeschluss oder E-Mail."),
        ({"text": "Nein\x00", "stance": Stance.OBJECT}, "Null"),
        ({"text": "x" * 100_000, "stance": Stance.OBJECT}, "höchstens 10000 Zeichen"),
    ],
)
def test_bad_input_on_behalf_gives_a_german_error_and_stores_nothing(
    as_role, consultation, frozen_draft, district, bad, message
):
    data = _single(district["gorleben"], Stance.AGREE, "ok", ("letter", "2027-01-03"))
    data.update(bad)
    response = as_role("coordinator").post(_url(frozen_draft), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Position.objects.exists()


def test_the_service_refuses_a_source_without_date_or_in_the_future(consultation, district, users):
    for source in (None, (SourceKind.LETTER, None), ("phone", TODAY)):
        with pytest.raises(DraftError, match="Quelle"):
            submit_position(
                consultation,
                users["coordinator"],
                district["gorleben"],
                Stance.AGREE,
                "",
                {},
                source,
            )
    with pytest.raises(DraftError, match="zwischen 1900 und heute"):
        submit_position(
            consultation, users["coordinator"], district["gorleben"], Stance.AGREE, "", {},
            (SourceKind.LETTER, datetime.date(9999, 1, 1)),
        )  # fmt: skip
    assert not Position.objects.exists()


def test_a_district_id_in_a_crafted_post_is_refused(as_role, consultation, frozen_draft, district):
    response = as_role("coordinator").post(
        _url(frozen_draft), _single(district["district"], source=("letter", "2027-01-03"))
    )
    assert response.status_code == 403
    assert not Position.objects.exists()


# --- one form for a Samtgemeinde and its members --------------------------------------------


def test_a_samtgemeinde_answers_for_itself_and_its_members_in_one_save(
    as_role, consultation, frozen_draft, district, users
):
    client = as_role("samtgemeinde_editor")
    url = _url(frozen_draft)
    html = client.get(url).content.decode()
    assert "Stellungnahmen der Samtgemeinde Elbtalaue und ihrer Mitgliedsgemeinden" in html
    assert "wie die Samtgemeinde" in html and "Wechseln" not in html
    measure = frozen_draft.snapshot["measures"][0]
    label = f"{measure['reference']} · {measure['title']} · {measure['lead']['label']}"
    assert label in html
    hitzacker, dannenberg = district["hitzacker"], district["dannenberg"]
    response = client.post(
        url,
        _group(
            district["elbtalaue"],
            Stance.AGREE,
            members={
                hitzacker.pk: ("same", ""),
                dannenberg.pk: (Stance.OBJECT, "Der Rat der Stadt hat abgelehnt."),
            },
            remarks=[(measure["id"], "Zeitplan prüfen.")],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:300]
    stored = {p.municipality_id: p for p in Position.objects.all()}
    assert set(stored) == {district["elbtalaue"].pk, hitzacker.pk, dannenberg.pk}
    assert stored[district["elbtalaue"].pk].entered_as == EntryKind.OWN
    assert list(stored[district["elbtalaue"].pk].remarks.values_list("text", flat=True)) == [
        "Zeitplan prüfen."
    ]
    assert stored[hitzacker.pk].follows_samtgemeinde and stored[hitzacker.pk].stance == Stance.AGREE
    assert stored[dannenberg.pk].stance == Stance.OBJECT
    assert stored[dannenberg.pk].entered_as == EntryKind.ADMINISTRATION
    page = client.get(url).content.decode()
    assert "eingetragen von der Samtgemeinde Elbtalaue für Dannenberg (Elbe)" in page
    # The member that follows its Samtgemeinde changes with it.
    submit_group(
        consultation, users["samtgemeinde_editor"], district["elbtalaue"],
        Stance.AGREE_WITH_REMARKS, "Mit Hinweisen.", {}, {},
    )  # fmt: skip
    stored[hitzacker.pk].refresh_from_db()
    stored[dannenberg.pk].refresh_from_db()
    assert stored[hitzacker.pk].stance == Stance.AGREE_WITH_REMARKS
    assert stored[dannenberg.pk].stance == Stance.OBJECT


def test_a_members_own_position_is_shown_read_only_and_never_replaced(
    as_role, consultation, frozen_draft, district, users
):
    submit_position(
        consultation, users["editor_own"], district["hitzacker"], Stance.OBJECT, "Nein.", {}
    )
    client = as_role("samtgemeinde_editor")
    html = client.get(_url(frozen_draft)).content.decode()
    assert "Hitzacker (Elbe): <strong>Ablehnung</strong>, abgegeben von der Kommune selbst" in html
    assert f'name="mitglied-{district["hitzacker"].pk}-stance"' not in html
    # A crafted field for it is not part of the form and changes nothing.
    client.post(
        _url(frozen_draft),
        _group(district["elbtalaue"], members={district["hitzacker"].pk: ("same", "")}),
    )
    position = Position.objects.get(municipality=district["hitzacker"])
    assert (position.stance, position.entered_as) == (Stance.OBJECT, EntryKind.OWN)
    # In the service it is refused, and the whole save with it.
    Position.objects.exclude(municipality=district["hitzacker"]).delete()
    with pytest.raises(DraftError, match="Hitzacker \\(Elbe\\) hat selbst Stellung genommen"):
        submit_group(
            consultation, users["samtgemeinde_editor"], district["elbtalaue"], Stance.AGREE, "",
            {}, {district["dannenberg"].pk: None, district["hitzacker"].pk: None},
        )  # fmt: skip
    assert list(Position.objects.values_list("municipality_id", flat=True)) == [
        district["hitzacker"].pk
    ]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"mitglied-{dannenberg}-stance": Stance.OBJECT}, "Bitte begründen Sie die Stellungnahme."),
        ({"mitglied-{dannenberg}-stance": "maybe"}, "Bitte wählen Sie eine der Stellungnahmen."),
        ({"mitglied-{dannenberg}-text": "a\x00b"}, "Null"),
        ({"mitglied-{dannenberg}-text": "x" * 100_000}, "höchstens 10000 Zeichen"),
        ({"text": "y" * 100_000}, "höchstens 10000 Zeichen"),
        ({"stance": ""}, "Bitte wählen Sie eine Stellungnahme."),
    ],
)
def test_bad_group_input_gives_a_german_error_and_stores_nothing(
    as_role, consultation, frozen_draft, district, bad, message
):
    dannenberg = district["dannenberg"].pk
    data = _group(
        district["elbtalaue"],
        members={district["hitzacker"].pk: ("same", ""), dannenberg: ("same", "")},
    )
    data.update({key.format(dannenberg=dannenberg): value for key, value in bad.items()})
    response = as_role("samtgemeinde_editor").post(_url(frozen_draft), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Position.objects.exists()


def test_another_samtgemeindes_member_in_a_crafted_group_is_refused(
    as_role, consultation, frozen_draft, district, users
):
    response = as_role("samtgemeinde_editor").post(_url(frozen_draft), _group(district["gartow"]))
    assert response.status_code == 403
    with pytest.raises(DraftError, match="nicht zur Samtgemeinde Elbtalaue"):
        submit_group(
            consultation, users["samtgemeinde_editor"], district["elbtalaue"], Stance.AGREE, "",
            {}, {district["gorleben"].pk: None},
        )  # fmt: skip
    with pytest.raises(DraftError, match="Redaktion der Samtgemeinde"):
        submit_group(
            consultation, users["editor_own"], district["elbtalaue"], Stance.AGREE, "", {}, {}
        )
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "stored"),
    [
        ("anonymous", 404, False),  # the page is internal until presented
        ("editor_own", 403, False),  # a member's editor does not answer for its Samtgemeinde
        ("editor_other", 403, False),
        ("samtgemeinde_editor", 302, True),
        ("coordinator", 200, False),  # only on a body's behalf, with a source
        ("council", 403, False),
    ],
)
def test_group_form_permission_matrix(
    as_role, consultation, frozen_draft, district, role, status, stored
):
    data = _group(
        district["elbtalaue"],
        members={district["hitzacker"].pk: ("same", ""), district["dannenberg"].pk: ("same", "")},
    )
    response = as_role(role).post(_url(frozen_draft), data)
    assert response.status_code == status
    assert Position.objects.exists() == stored


def test_a_members_dashboard_link_opens_its_samtgemeindes_form(
    as_role, consultation, frozen_draft, district
):
    html = (
        as_role("samtgemeinde_editor")
        .get(_url(frozen_draft) + f"?kommune={district['hitzacker'].pk}")
        .content.decode()
    )
    assert "Stellungnahmen der Samtgemeinde Elbtalaue und ihrer Mitgliedsgemeinden" in html


def test_the_samtgemeinde_form_has_a_flat_query_count(
    as_role, consultation, frozen_draft, district, users, django_assert_max_num_queries
):
    from tests.factories import MunicipalityFactory

    for i in range(10):
        MunicipalityFactory(parent=district["elbtalaue"], ars=f"033545406{i + 100:03d}")
    client = as_role("samtgemeinde_editor")
    with django_assert_max_num_queries(14):
        assert client.get(_url(frozen_draft)).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),  # the page is internal until presented
        ("editor_own", 403),
        ("editor_other", 403),
        ("samtgemeinde_editor", 403),  # Elbtalaue's editor does not act for Gartow
        ("coordinator", 302),  # on the body's behalf, with its source
        ("council", 403),
    ],
)
def test_on_behalf_permission_matrix(as_role, consultation, frozen_draft, district, role, status):
    """Samtgemeinde Gartow has no editor: only the coordinator records its position, marked."""
    response = as_role(role).post(
        _url(frozen_draft), _single(district["gartow"], source=("email", "2027-01-02"))
    )
    assert response.status_code == status
    stored = Position.objects.filter(municipality=district["gartow"])
    if role == "coordinator":
        position = stored.get()
        assert position.entered_as == EntryKind.COORDINATOR
        assert position.source_label == "E-Mail vom 2. Januar 2027"
    else:
        assert not stored.exists()
