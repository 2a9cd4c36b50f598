"""Entry and offer forms (German errors, nothing typed lost) and the demo register."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from procedures.models import ProcedureEntry, Service, ServiceOffer

from .conftest import GEWERBE

GV_CSV = "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS = "municipalities/data/samtgemeinde_sitze.csv"


def test_entry_form_saves_german_amounts(as_role, district, categories, catalogue):
    client = as_role("samtgemeinde_editor")
    url = reverse("procedures:entry_create", args=["hitzacker-elbe"])
    response = client.post(
        url,
        {
            "category": categories["personenstandswesen"].pk,
            "product": "AutiSta",
            "operating_model": "provider",
            "provider_name": "KDO",
            "contract_end": "2028-03-31",
            "annual_cost": "12.500,50 €",
            "services": [catalogue["99027002012000"].pk],
            "satisfaction": "5",
        },
    )
    assert response.status_code == 302
    entry = ProcedureEntry.objects.get()
    assert str(entry.annual_cost) == "12500.50" and entry.municipality == district["hitzacker"]
    assert list(entry.services.all()) == [catalogue["99027002012000"]]


def test_entry_form_errors_are_german_and_keep_input(as_role, district, categories, entry):
    client = as_role("editor_own")
    url = reverse("procedures:entry_create", args=["hitzacker-elbe"])
    response = client.post(
        url,
        {
            "category": entry.category.pk,
            "product": "ALLRIS",  # already registered
            "operating_model": "provider",  # without a provider
            "annual_cost": "viel",
            "notice_period_months": "3",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "schon erfasst" in content
    assert "Bitte nennen Sie den IT-Dienstleister." in content
    assert "Bitte geben Sie einen Betrag an" in content
    assert 'value="viel"' in content and 'value="3"' in content
    assert ProcedureEntry.objects.count() == 1


def test_offer_online_needs_an_address(as_role, district, catalogue, entry):
    client = as_role("samtgemeinde_editor")
    url = reverse("procedures:offer_create", args=["hitzacker-elbe"])
    response = client.post(url, {"service": catalogue[GEWERBE].pk, "status": "online"})
    assert "Bitte geben Sie die Adresse des Online-Dienstes an." in response.content.decode()
    response = client.post(
        url,
        {
            "service": catalogue[GEWERBE].pk,
            "status": "online",
            "url": "https://example.org/gewerbe",
            "procedure": entry.pk,
        },
    )
    assert response.status_code == 302
    assert ServiceOffer.objects.get().procedure == entry


def test_offer_cannot_name_another_bodys_procedure(as_role, district, catalogue, entry):
    client = as_role("coordinator")
    url = reverse("procedures:offer_create", args=["dannenberg-elbe"])
    response = client.post(
        url, {"service": catalogue[GEWERBE].pk, "status": "planned", "procedure": entry.pk}
    )
    assert response.status_code == 200
    assert not ServiceOffer.objects.exists()


def test_demo_register_is_marked_idempotent_and_only_where_allowed(fields_of_action, settings):
    call_command("import_municipalities", GV_CSV, seats=SEATS, verbosity=0)
    settings.DEBUG = True  # DEBUG alone is not enough: a local checkout may use a live database
    settings.PORTAL_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="PORTAL_DEMO_ALLOWED"):
        call_command("seed_procedures_demo")
    assert not ProcedureEntry.objects.exists()
    settings.PORTAL_DEMO_ALLOWED = True
    call_command("seed_procedures_demo")
    entries = list(ProcedureEntry.objects.all())
    offers = list(ServiceOffer.objects.all())
    assert len(entries) > 20 and len(offers) > 20
    assert all(e.is_demo and e.remarks.startswith("Demo-Inhalt") for e in entries)
    assert all(o.is_demo for o in offers)
    assert all(e.annual_cost is None for e in entries)  # no costs presented as fact
    assert {"OK.EWO", "VOIS|MESO", "AutiSta", "ALLRIS", "SD.NET", "Session"} <= {
        e.product for e in entries
    }
    stamps = sorted(ProcedureEntry.objects.values_list("pk", "updated_at"))
    call_command("seed_procedures_demo")
    assert sorted(ProcedureEntry.objects.values_list("pk", "updated_at")) == stamps
    assert ServiceOffer.objects.count() == len(offers)
    assert Service.objects.count() == 8


def test_concurrent_edit_is_refused_and_keeps_the_input(as_role, district, entry):
    client = as_role("editor_own")
    url = reverse("procedures:entry_update", args=[entry.pk])
    page = client.get(url).content.decode()
    start = page.index('name="loaded_version" value="') + len('name="loaded_version" value="')
    loaded = page[start : page.index('"', start)]
    base = {
        "category": entry.category.pk,
        "product": "ALLRIS",
        "operating_model": "saas",
        "loaded_version": loaded,
    }
    first = client.post(url, {**base, "remarks": "erste Fassung"})
    assert first.status_code == 302
    second = client.post(url, {**base, "remarks": "zweite Fassung"})
    assert second.status_code == 409
    content = second.content.decode()
    assert "inzwischen von jemand anderem geändert" in content and "zweite Fassung" in content
    entry.refresh_from_db()
    assert entry.remarks == "erste Fassung"
    # Saving again from the conflict page takes the user's version.
    start = content.index('name="loaded_version" value="') + len('name="loaded_version" value="')
    fresh = content[start : content.index('"', start)]
    assert (
        client.post(url, {**base, "remarks": "zweite Fassung", "loaded_version": fresh}).status_code
        == 302
    )
    entry.refresh_from_db()
    assert entry.remarks == "zweite Fassung"
