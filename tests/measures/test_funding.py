"""Funding entries per measure, the programmes list, proofs of use coming due and reminders."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.funding import send_proof_reminders
from measures.models import FundingEntry, FundingProgramme, FundingState
from measures.views.funding import funding_token

from ..factories import MeasureFactory
from .test_permissions import ROLES, expected_for

TODAY = datetime.date(2027, 5, 10)


@pytest.fixture
def measure(district):
    return MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Bauantrag")


@pytest.fixture
def leader():
    return FundingProgramme.objects.get(name="LEADER (ELER)")


def entry_data(*rows, initial=0):
    data = {
        "funding-TOTAL_FORMS": str(len(rows)),
        "funding-INITIAL_FORMS": str(initial),
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"funding-{i}-{key}"] = value
    return data


def post(client, measure, *rows, initial=0, token=None):
    data = entry_data(*rows, initial=initial)
    data["loaded_funding"] = funding_token(measure) if token is None else token
    return client.post(reverse("measures:funding", args=[measure.pk]), data)


def good_row(programme, /, **changes):
    row = {
        "programme": str(programme.pk),
        "year": "2027",
        "rate_percent": "62,5",
        "amount": "25.000,00",
        "state": "approved",
        "applied_on": "2026-11-02",
        "decided_on": "2027-02-15",
        "proof_due": "2028-06-30",
    }
    row.update(changes)
    return row


def test_the_programmes_are_seeded_as_examples(db):
    names = set(FundingProgramme.objects.filter(is_example=True).values_list("name", flat=True))
    assert {"LEADER (ELER)", "Zukunftsregionen in Niedersachsen"} <= names
    assert str(FundingProgramme.objects.get(name="LEADER (ELER)")) == "LEADER (ELER) (Beispiel)"


def test_an_editor_enters_funding(as_role, measure, leader):
    client = as_role("editor_own")
    response = post(client, measure, good_row(leader))
    assert response.status_code == 302
    entry = FundingEntry.objects.get()
    assert (entry.measure, entry.programme, entry.year) == (measure, leader, 2027)
    assert entry.amount == Decimal("25000.00") and entry.rate_percent == Decimal("62.50")
    assert entry.state == FundingState.APPROVED and entry.is_approved
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "LEADER (ELER) (Beispiel)" in page and "25.000,00" in page and "bewilligt" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rate_percent": "150"}, "rate_percent", "zwischen 0 und 100 %"),
        ({"rate_percent": "-1"}, "rate_percent", "zwischen 0 und 100 %"),
        ({"amount": "-5"}, "amount", "keinen negativen Betrag"),
        ({"amount": "1000000000000000"}, "amount", "zu groß"),
        ({"amount": "12\x0000"}, "amount", "Zahl"),
        ({"year": "0"}, "year", "von 2000 bis 2100"),
        ({"year": "99999"}, "year", "von 2000 bis 2100"),
        ({"proof_due": "9999-12-31"}, "proof_due", "außerhalb der Jahre"),
        ({"proof_due": "2028-06-30\x00"}, "proof_due", "Datum"),
        ({"decided_on": ""}, "decided_on", "wann entschieden"),
        ({"state": "settled"}, "settled_on", "wann abgerechnet"),
        ({"decided_on": "2026-01-01"}, "decided_on", "nicht vor dem Antrag"),
        ({"state": "granted"}, "state", "angebotenen"),
        ({"programme": "999999"}, "programme", "angebotenen"),
    ],
)
def test_bad_input_is_explained_at_the_field(as_role, measure, leader, changes, field, message):
    response = post(as_role("editor_own"), measure, good_row(leader, **changes))
    assert response.status_code == 200
    errors = " ".join(response.context["formset"].forms[0].errors.get(field, []))
    assert message in errors, response.context["formset"].errors
    assert "Förderung 1" in response.content.decode()
    assert not FundingEntry.objects.exists()


def test_a_retired_programme_cannot_be_chosen_anew(as_role, measure, leader):
    FundingProgramme.objects.filter(pk=leader.pk).update(is_active=False)
    response = post(as_role("editor_own"), measure, good_row(leader))
    assert response.status_code == 200
    assert not FundingEntry.objects.exists()


def test_a_crafted_entry_of_another_measure_is_refused(as_role, district, measure, leader):
    foreign = MeasureFactory(lead_municipality=district["gorleben"], title="Glasfaser")
    other = FundingEntry.objects.create(
        measure=foreign, programme=leader, year=2027, amount=Decimal("7")
    )
    row = good_row(leader, id=str(other.pk), measure=str(measure.pk), amount="999")
    response = post(as_role("editor_own"), measure, row, initial=1)
    assert response.status_code == 200
    assert "gehört nicht hierher" in response.content.decode()
    other.refresh_from_db()
    assert other.amount == Decimal("7.00") and other.measure == foreign
    assert not measure.funding.exists()


def test_a_save_over_a_newer_state_is_refused(as_role, measure, leader):
    client = as_role("editor_own")
    stale = funding_token(measure)
    FundingEntry.objects.create(measure=measure, programme=leader, year=2026, amount=Decimal(1))
    response = post(client, measure, good_row(leader), token=stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Die Förderungen wurden inzwischen geändert" in page
    assert 'value="25.000,00"' in page  # the typed row is kept
    assert measure.funding.count() == 1
    # Saved again from the conflict page (it carries the current token): stored.
    assert post(client, measure, good_row(leader), token=None).status_code == 302
    assert measure.funding.count() == 2


# anonymous, editor_own, editor_other, samtgemeinde_editor, coordinator, council
FUNDING_GET = (302, 200, 200, 200, 200, 200)
FUNDING_POST = (302, 302, 403, 302, 302, 403)
PROGRAMMES = (302, 403, 403, 403, 200, 403)
DUE_GET = (302, 200, 200, 200, 200, 200)


@pytest.mark.parametrize("role", ROLES)
def test_funding_page_matrix(as_role, measure, leader, role):
    client = as_role(role)
    response = client.get(reverse("measures:funding", args=[measure.pk]))
    assert response.status_code == expected_for(FUNDING_GET)[role]
    if response.status_code == 200:
        editable = role in ("editor_own", "samtgemeinde_editor", "coordinator")
        assert ("Förderungen speichern" in response.content.decode()) is editable
    response = post(client, measure, good_row(leader))
    assert response.status_code == expected_for(FUNDING_POST)[role]
    allowed = role in ("editor_own", "samtgemeinde_editor", "coordinator")
    assert measure.funding.exists() is allowed


def test_the_public_never_sees_the_funding_page(client, measure):
    from django.utils import timezone

    type(measure).objects.filter(pk=measure.pk).update(public_since=timezone.now())
    response = client.get(reverse("measures:funding", args=[measure.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_programmes_matrix(as_role, role):
    client = as_role(role)
    url = reverse("measures:funding_programmes")
    response = client.get(url)
    assert response.status_code == expected_for(PROGRAMMES)[role]
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
    data[f"form-{len(programmes)}-name"] = "Kreiseigene Digitalförderung"
    response = client.post(url, data)
    allowed = role == "coordinator"
    assert response.status_code == (302 if allowed else expected_for(PROGRAMMES)[role])
    added = FundingProgramme.objects.filter(name="Kreiseigene Digitalförderung")
    assert added.exists() is allowed
    if allowed:
        assert not added.get().is_example


def test_programme_names_are_checked(as_role):
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "Eigenes Programm",
        "form-1-name": "eigenes programm",
        "form-1-url": "javascript:alert(1)",
    }
    response = as_role("coordinator").post(reverse("measures:funding_programmes"), data)
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert "Dieses Programm steht schon in der Liste." in forms[1].errors["name"]
    assert "url" in forms[1].errors
    assert not FundingProgramme.objects.filter(name__iexact="eigenes programm").exists()


def _approved(measure, programme, due, **values):
    return FundingEntry.objects.create(
        measure=measure,
        programme=programme,
        year=2027,
        amount=Decimal("1000"),
        state=values.pop("state", FundingState.APPROVED),
        decided_on=datetime.date(2027, 1, 5),
        proof_due=due,
        **values,
    )


@pytest.mark.parametrize("role", ROLES)
def test_due_list_matrix(as_role, measure, leader, role, time_machine):
    time_machine.move_to(datetime.datetime(2027, 5, 10, 9, tzinfo=datetime.UTC))
    _approved(measure, leader, TODAY + datetime.timedelta(days=10))
    response = as_role(role).get(reverse("measures:funding_due"))
    assert response.status_code == expected_for(DUE_GET)[role]
    if response.status_code == 200:
        listed = "Digitaler Bauantrag" in response.content.decode()
        assert listed is (role in ("editor_own", "samtgemeinde_editor", "coordinator"))


def test_meine_aufgaben_shows_proofs_coming_due(as_role, district, measure, leader, time_machine):
    time_machine.move_to(datetime.datetime(2027, 5, 10, 9, tzinfo=datetime.UTC))
    _approved(measure, leader, TODAY + datetime.timedelta(days=10))
    _approved(measure, leader, TODAY + datetime.timedelta(days=90))  # not yet
    _approved(measure, leader, TODAY, state=FundingState.SETTLED, settled_on=TODAY)
    url = reverse("measures:dashboard", args=["hitzacker-elbe"])
    page = as_role("editor_own").get(url).content.decode()
    assert "Verwendungsnachweis fällig" in page
    assert "Für 1 bewilligte Förderung" in page
    other = as_role("editor_other").get(url).content.decode()
    assert "Verwendungsnachweis fällig" not in other


def test_reminders_are_sent_once_per_due_date(district, users, measure, leader, mailoutbox):
    due = TODAY + datetime.timedelta(days=20)
    entry = _approved(measure, leader, due)
    _approved(measure, leader, TODAY + datetime.timedelta(days=60))  # later
    _approved(measure, leader, due, state=FundingState.SETTLED, settled_on=TODAY)
    assert send_proof_reminders(TODAY) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [users["editor_own"].email]
    assert "Verwendungsnachweis am 30.05.2027 fällig" in mail.subject
    assert "LEADER (ELER)" in mail.body and "Hitzacker (Elbe)" in mail.body
    # Idempotent: the next day's run sends nothing more for the same due date ...
    assert send_proof_reminders(TODAY + datetime.timedelta(days=1)) == 0
    # ... but a postponed due date is reminded again when it comes near.
    FundingEntry.objects.filter(pk=entry.pk).update(proof_due=due + datetime.timedelta(days=5))
    assert send_proof_reminders(TODAY + datetime.timedelta(days=1)) == 1
    assert len(mailoutbox) == 2


def test_a_member_without_editors_is_reminded_through_its_samtgemeinde(
    district, users, leader, mailoutbox
):
    measure = MeasureFactory(lead_municipality=district["dannenberg"], title="WLAN im Rathaus")
    _approved(measure, leader, TODAY)
    assert send_proof_reminders(TODAY) == 1
    assert mailoutbox[0].to == [users["samtgemeinde_editor"].email]
    assert "heute fällig" in mailoutbox[0].subject


def test_the_measure_page_shows_each_bodys_share(as_role, district, measure, leader):
    from measures.models import CostPlanYear, Partnership, PartnershipState

    Partnership.objects.create(
        measure=measure,
        municipality=district["gartow"],
        cost_share_percent=Decimal("25"),
        state=PartnershipState.CONFIRMED,
    )
    # Only asked, not confirmed: shares nothing.
    Partnership.objects.create(
        measure=measure, municipality=district["gorleben"], cost_share_percent=Decimal("50")
    )
    CostPlanYear.objects.create(measure=measure, year=2027, investment_planned=Decimal("10000"))
    FundingEntry.objects.create(
        measure=measure,
        programme=leader,
        year=2027,
        amount=Decimal("4000"),
        state=FundingState.APPROVED,
        decided_on=datetime.date(2027, 1, 5),
    )
    FundingEntry.objects.create(  # applied only: still open, lowers nothing
        measure=measure, programme=leader, year=2027, amount=Decimal("999")
    )
    page = as_role("council").get(measure.get_absolute_url()).content.decode()
    section = page[page.index('id="anteile-titel"') :]
    section = section[: section.index("</section>")]
    assert "Hitzacker (Elbe) (federführend)" in section and "75 %" in section
    assert "7.500,00" in section and "3.000,00" in section and "4.500,00" in section
    assert "Samtgemeinde Gartow" in section and "2.500,00" in section and "1.500,00" in section
    assert "Gorleben" not in section
    assert "trägt 75 %" in section


def test_dashboards_show_the_bodys_money(as_role, client, district, measure, leader):
    from django.utils import timezone

    from core import data_version
    from measures.models import CostPlanYear, Partnership, PartnershipState
    from measures.review import review_snapshot

    Partnership.objects.create(
        measure=measure,
        municipality=district["gartow"],
        cost_share_percent=Decimal("40"),
        state=PartnershipState.CONFIRMED,
    )
    CostPlanYear.objects.create(measure=measure, year=2027, running_planned=Decimal("1000"))
    FundingEntry.objects.create(
        measure=measure,
        programme=leader,
        year=2027,
        amount=Decimal("500"),
        state=FundingState.APPROVED,
        decided_on=datetime.date(2027, 1, 5),
    )
    url = reverse("measures:dashboard", args=["sg-gartow"])
    page = as_role("council").get(url).content.decode()
    section = page[page.index('id="finanzen-titel"') :]
    section = section[: section.index("</section>")]
    # Gartow's 40 %: 400,00 costs, 200,00 funding, 200,00 own share.
    assert "400,00 €" in section and "200,00 €" in section and "Handlungsfeld 1" in section
    lead_page = as_role("council").get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    assert "600,00 €" in lead_page.content.decode()
    # The public sees the published version only, without contact data.
    client.logout()
    assert 'id="finanzen-titel"' not in client.get(url).content.decode()
    published = review_snapshot(measure)
    type(measure).objects.filter(pk=measure.pk).update(
        public_since=timezone.now(),
        public_snapshot=published,
        public_lead=measure.lead_municipality,
    )
    type(measure).public_partners.through.objects.create(
        measure_id=measure.pk, municipality_id=district["gartow"].pk
    )
    data_version.changed()  # as publication does after its bulk writes
    page = client.get(url).content.decode()
    section = page[page.index('id="finanzen-titel"') :]
    assert "400,00 €" in section and "veröffentlichten Fassungen" in section
    assert "Erika" not in section and "@" not in section


def test_a_samtgemeindes_dashboard_counts_its_members_parts_as_its_vorlage_does(
    as_role, district, measure, leader
):
    """Elbtalaue's figures hold Hitzacker's (a member's) part, as Elbtalaue's Vorlage does
    (drafts.body_document: Finanzielle Auswirkungen for the Samtgemeinde and its members)."""
    from measures.models import CostPlanYear, Partnership, PartnershipState

    Partnership.objects.create(
        measure=measure,
        municipality=district["gartow"],
        cost_share_percent=Decimal("40"),
        state=PartnershipState.CONFIRMED,
    )
    CostPlanYear.objects.create(measure=measure, year=2027, running_planned=Decimal("1000"))
    page = as_role("council").get(reverse("measures:dashboard", args=["sg-elbtalaue"]))
    section = page.content.decode()
    section = section[section.index('id="finanzen-titel"') :]
    section = section[: section.index("</section>")]
    assert "Anteil der Samtgemeinde Elbtalaue und ihrer Mitgliedsgemeinden" in section
    assert "600,00 €" in section and "400,00 €" not in section
