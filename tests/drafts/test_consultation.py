"""The Abstimmung of a draft version with the bodies (issue 9 §1)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from drafts.consultation import close, open_consultation, submit_position
from drafts.models import Consultation, DraftState, Position, Stance, StrategyDraft
from drafts.tasks import render_now, send_consultation_reminders
from drafts.workflow import DraftError, freeze, publish

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
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
    """Frozen without its PDF (rendering costs seconds); tests that need it call _rendered."""
    return freeze(draft, users["coordinator"], render=False)


def _rendered(draft):
    return render_now(StrategyDraft.objects.get(pk=draft.pk))


@pytest.fixture
def consultation(frozen_draft, users, django_capture_on_commit_callbacks):
    for user in users.values():
        if user is not None and not user.email:
            user.email = f"{user.username}@example.org"
            user.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = open_consultation(
            frozen_draft, users["coordinator"], TODAY + datetime.timedelta(days=14)
        )
    return result


def _url(name, draft):
    return reverse(f"drafts:{name}", args=[draft.pk])


def _position_data(body, stance=Stance.AGREE, text="", remarks=()):
    data = {
        "municipality": body.pk,
        "stance": stance,
        "text": text,
        "remarks-TOTAL_FORMS": "3",
        "remarks-INITIAL_FORMS": "0",
        "remarks-MIN_NUM_FORMS": "0",
        "remarks-MAX_NUM_FORMS": "100",
    }
    for i, (measure_id, remark) in enumerate(remarks):
        data[f"remarks-{i}-measure"] = str(measure_id)
        data[f"remarks-{i}-text"] = remark
    return data


def test_opening_tells_every_body_and_lists_all_30_kinds_of_body(consultation, users, district):
    assert consultation.deadline == TODAY + datetime.timedelta(days=14)
    recipients = {address for message in mail.outbox for address in message.to}
    assert users["editor_own"].email in recipients
    assert users["samtgemeinde_editor"].email in recipients
    assert users["coordinator"].email not in recipients  # the coordinator is not a body
    hitzacker_mail = next(m for m in mail.outbox if users["editor_own"].email in m.to)
    assert "Hitzacker (Elbe)" in hitzacker_mail.body and "18. Januar 2027" in hitzacker_mail.body


def test_only_a_frozen_unpresented_draft_can_be_consulted_once(frozen_draft, draft, users):
    editing = StrategyDraft.objects.create(
        title="Neu", version_label="Entwurf 2", resolution_date=datetime.date(2026, 6, 18)
    )
    with pytest.raises(DraftError, match="eingefrorenen"):
        open_consultation(editing, users["coordinator"], TODAY)
    with pytest.raises(DraftError, match="Vergangenheit"):
        open_consultation(frozen_draft, users["coordinator"], TODAY - datetime.timedelta(days=1))
    with pytest.raises(DraftError, match="Koordinierungsstelle"):
        open_consultation(frozen_draft, users["editor_own"], TODAY)
    open_consultation(frozen_draft, users["coordinator"], TODAY)
    with pytest.raises(DraftError, match="schon eine Abstimmung"):
        open_consultation(frozen_draft, users["coordinator"], TODAY)


@pytest.mark.parametrize("role", ROLES)
def test_consultation_page_matrix(as_role, role, consultation, frozen_draft, district):
    client = as_role(role)
    response = client.get(_url("consultation", frozen_draft))
    if role == "anonymous":
        assert response.status_code == 404  # public only once presented to the Kreistag
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stellungnahmen der Kommunen" in html
    # A Samtgemeinde's editor saves its own and its members' positions in one form.
    has_form = "Stellungnahme speichern" in html or "Stellungnahmen speichern" in html
    assert has_form == (
        role in ("editor_own", "editor_other", "samtgemeinde_editor", "coordinator")
    )
    # Opening and closing are the coordinator's.
    for name in ("consultation_open", "consultation_close"):
        expected = 200 if role == "coordinator" else 403
        assert client.get(_url(name, frozen_draft)).status_code == expected


@pytest.mark.parametrize(
    ("role", "body", "allowed"),
    [
        ("editor_own", "hitzacker", True),
        ("editor_own", "dannenberg", False),
        ("editor_other", "hitzacker", False),
        ("samtgemeinde_editor", "hitzacker", True),  # answers for its member Gemeinden
        ("samtgemeinde_editor", "elbtalaue", True),
        ("samtgemeinde_editor", "gorleben", False),
        ("council", "hitzacker", False),
        # The coordinator records a position received by letter only with its source:
        # tests/drafts/test_consultation_on_behalf.py.
        ("editor_own", "district", False),  # the district does not take a position
    ],
)
def test_who_may_answer_for_which_body(
    as_role, consultation, frozen_draft, district, role, body, allowed
):
    target = district[body]
    response = as_role(role).post(
        _url("consultation", frozen_draft), _position_data(target, text="")
    )
    stored = Position.objects.filter(consultation=consultation, municipality=target)
    if allowed:
        assert response.status_code == 302, response.content.decode()[:500]
        assert stored.get().stance == Stance.AGREE
    else:
        assert response.status_code == 403
        assert not stored.exists()


def test_position_with_remarks_can_be_changed_until_the_deadline(
    as_role, consultation, frozen_draft, district, users
):
    client = as_role("editor_own")
    measure_id = frozen_draft.snapshot["measures"][0]["id"]
    url = _url("consultation", frozen_draft)
    missing_reason = client.post(url, _position_data(district["hitzacker"], Stance.OBJECT))
    assert "Bitte begründen Sie die Stellungnahme." in missing_reason.content.decode()
    assert not Position.objects.exists()
    client.post(
        url,
        _position_data(
            district["hitzacker"],
            Stance.AGREE_WITH_REMARKS,
            "Grundsätzlich einverstanden.",
            [(measure_id, "Bitte Zeitplan prüfen.")],
        ),
    )
    position = Position.objects.get()
    assert position.submitted_by == users["editor_own"]
    assert list(position.remarks.values_list("measure_id", "text")) == [
        (measure_id, "Bitte Zeitplan prüfen.")
    ]
    page = client.get(url).content.decode()
    assert "Bitte Zeitplan prüfen." in page and "Grundsätzlich einverstanden." in page
    # Changed on the last day: still allowed.
    with time_machine.travel(datetime.datetime(2027, 1, 18, 20, 0, tzinfo=datetime.UTC)):
        client.force_login(users["editor_own"])  # the session of two weeks ago has expired
        client.post(url, _position_data(district["hitzacker"], Stance.AGREE))
    position.refresh_from_db()
    assert position.stance == Stance.AGREE and not position.remarks.exists()
    assert position.history.count() == 2
    # The day after the deadline: final.
    with time_machine.travel(datetime.datetime(2027, 1, 19, 23, 30, tzinfo=datetime.UTC)):
        client.force_login(users["editor_own"])
        response = client.post(
            url, _position_data(district["hitzacker"], Stance.OBJECT, "Doch nicht.")
        )
        assert response.status_code == 302
        assert "nicht mehr geändert" in client.get(url).content.decode()
    position.refresh_from_db()
    assert position.stance == Stance.AGREE


@pytest.mark.parametrize(
    "bad",
    [
        {"stance": "maybe"},
        {"stance": ""},
        {"text": "x" * 10_001, "stance": Stance.OBJECT},
        {"remarks-TOTAL_FORMS": "-99999999999999999999"},
        {"remarks-TOTAL_FORMS": "1000"},
        {"remarks-0-measure": "999999999", "remarks-0-text": "fremd"},
        {"remarks-0-measure": "abc", "remarks-0-text": "x"},
        {"municipality": "abc"},
    ],
)
def test_bad_position_input_gives_a_german_error_and_stores_nothing(
    as_role, consultation, frozen_draft, district, bad
):
    data = _position_data(district["hitzacker"], Stance.AGREE, "ok")
    data.update(bad)
    response = as_role("editor_own").post(_url("consultation", frozen_draft), data)
    assert response.status_code in (200, 403)
    assert not Position.objects.exists()


def test_a_crafted_remark_count_builds_no_more_than_a_hundred_rows(
    as_role, consultation, frozen_draft, district
):
    """Django would build (and render again) up to 1,100 rows for a crafted count."""
    data = _position_data(district["hitzacker"], Stance.AGREE, "ok")
    data["remarks-TOTAL_FORMS"] = "5000"
    response = as_role("editor_own").post(_url("consultation", frozen_draft), data)
    assert response.status_code == 200
    assert "Bitte geben Sie höchstens 100 Anmerkungen zu Maßnahmen ein." in (
        response.content.decode()
    )
    assert 'name="remarks-99-text"' in response.content.decode()
    assert 'name="remarks-100-text"' not in response.content.decode()  # the 101st row
    assert not Position.objects.exists()


def test_closing_asks_first_freezes_the_result_and_renders_again(
    as_role, consultation, frozen_draft, district, users, django_capture_on_commit_callbacks
):
    submit_position(
        consultation, users["editor_own"], district["hitzacker"], Stance.OBJECT, "Zu teuer.", {}
    )
    client = as_role("coordinator")
    confirm = client.get(_url("consultation_close", frozen_draft)).content.decode()
    assert "1 von 5 Kommunen" in confirm
    assert "Ohne Stellungnahme" in confirm and "Samtgemeinde Gartow" in confirm
    assert "nicht mehr abgeben oder ändern" in confirm
    old_sha = _rendered(frozen_draft).pdf_sha256
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("consultation_close", frozen_draft))
    consultation.refresh_from_db()
    assert consultation.is_closed and consultation.closed_by == users["coordinator"]
    hitzacker = next(
        b for b in consultation.result["bodies"] if b["id"] == district["hitzacker"].pk
    )
    assert hitzacker["stance"] == Stance.OBJECT and hitzacker["text"] == "Zu teuer."
    assert "submitted_by" not in hitzacker  # no personal data in the frozen result
    assert consultation.result["counts"] == {
        "agree": 0, "agree_with_remarks": 0, "object": 1, "none": 4
    }  # fmt: skip
    drafted = StrategyDraft.objects.get(pk=frozen_draft.pk)
    assert drafted.pdf_sha256 and drafted.pdf_sha256 != old_sha
    with pytest.raises(DraftError, match="abgeschlossen"):
        submit_position(
            consultation, users["editor_own"], district["hitzacker"], Stance.AGREE, "", {}
        )


def test_reminders_7_and_1_days_before_only_to_bodies_without_position(
    consultation, district, users
):
    submit_position(consultation, users["editor_other"], district["gorleben"], Stance.AGREE, "", {})
    mail.outbox.clear()
    for day, expected in [(6, 0), (7, 1), (7, 0), (13, 1), (14, 0)]:
        moment = datetime.datetime(2027, 1, 4 + day, 5, 0, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            before = len(mail.outbox)
            send_consultation_reminders()
            reminded = mail.outbox[before:]
        hitzacker = [m for m in reminded if users["editor_own"].email in m.to]
        assert len(hitzacker) == expected, day
        assert not any(users["editor_other"].email in m.to for m in reminded)
    assert "morgen" in mail.outbox[-1].subject


def test_public_sees_positions_without_names_once_presented(
    as_role, client, consultation, frozen_draft, district, users
):
    submit_position(
        consultation, users["editor_own"], district["hitzacker"], Stance.AGREE, "Gern.", {}
    )
    close(consultation, users["coordinator"])
    publish(_rendered(frozen_draft), users["coordinator"], without_consultation=True)
    html = client.get(_url("consultation", frozen_draft)).content.decode()
    assert "Gern." in html and "Hitzacker (Elbe)" in html
    assert users["editor_own"].get_full_name() not in html
    assert users["editor_own"].username not in html
    internal = as_role("council").get(_url("consultation", frozen_draft)).content.decode()
    assert users["editor_own"].get_full_name() in internal


def test_editors_read_the_consulted_version(as_role, consultation, frozen_draft):
    _rendered(frozen_draft)
    client = as_role("editor_other")
    assert client.get(_url("detail", frozen_draft)).status_code == 200
    assert client.get(_url("pdf", frozen_draft)).status_code == 200


def test_an_open_consultation_is_a_task_on_the_body_dashboard(
    as_role, consultation, district, users
):
    dashboard = reverse("measures:dashboard", args=[district["hitzacker"].slug])
    html = as_role("editor_own").get(dashboard).content.decode()
    assert "Meine Aufgaben" in html and "Stellungnahme abgeben" in html
    submit_position(consultation, users["editor_own"], district["hitzacker"], Stance.AGREE, "", {})
    html = as_role("editor_own").get(dashboard).content.decode()
    assert "Stellungnahme ändern" in html
    other = reverse("measures:dashboard", args=[district["gorleben"].slug])
    assert "Meine Aufgaben" not in as_role("editor_own").get(other).content.decode()


def test_consultation_page_query_count_is_flat(
    as_role, consultation, district, users, django_assert_max_num_queries
):
    from tests.factories import MunicipalityFactory

    client = as_role("council")
    url = _url("consultation", consultation.draft)
    for i in range(20):
        body = MunicipalityFactory(parent=district["gartow"], ars=f"033545403{i + 100:03d}")
        Position.objects.create(
            consultation=consultation, municipality=body, stance=Stance.AGREE,
            submitted_at=timezone.now(), submitted_by=users["coordinator"],
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_state_after_publication(consultation, frozen_draft, users):
    publish(_rendered(frozen_draft), users["coordinator"], without_consultation=True)
    assert StrategyDraft.objects.get(pk=frozen_draft.pk).state == DraftState.PUBLISHED
    assert Consultation.objects.get().draft_id == frozen_draft.pk
