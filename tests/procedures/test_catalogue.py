"""The LeiKa/OZG catalogue import and the measures' reference to it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from procedures.catalogue import import_catalogue
from procedures.models import ResponsibleLevel, Service
from procedures.tabular import TableRefused
from tests.factories import MeasureFactory

from .conftest import EXCERPT, GEWERBE


def test_excerpt_has_only_real_shaped_keys_and_imports_idempotently(db):
    first = import_catalogue(EXCERPT.read_bytes(), "leika_auszug.csv")
    assert first.created == Service.objects.count() == 8
    assert all(len(s.leika_key) == 14 and s.leika_key.isdigit() for s in Service.objects.all())
    gewerbe = Service.objects.get(leika_key=GEWERBE)
    assert gewerbe.name == "Gewerbe anmelden"
    assert gewerbe.topic == "Unternehmensführung & -entwicklung"
    stamps = list(Service.objects.order_by("pk").values_list("updated_at", flat=True))
    second = import_catalogue(EXCERPT.read_bytes(), "leika_auszug.csv")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 8)
    assert list(Service.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_official_column_names_are_recognised_and_local_level_is_kept(db):
    import_catalogue(EXCERPT.read_bytes(), "leika_auszug.csv")
    Service.objects.filter(leika_key=GEWERBE).update(responsible_level=ResponsibleLevel.DISTRICT)
    data = (
        "Leistungsschlüssel,Leistungsbezeichnung,OZG-ID,Themenfeld\n"
        f"{GEWERBE},Gewerbe anmelden,,Unternehmensführung & -entwicklung\n"
    ).encode()
    result = import_catalogue(data, "fim.csv")
    assert result.unchanged == 1
    assert Service.objects.get(leika_key=GEWERBE).responsible_level == ResponsibleLevel.DISTRICT


def test_malformed_catalogue_is_refused_whole(db):
    data = (
        "LeiKa-Schlüssel;Leistungsbezeichnung\n"
        "99050012104000;Gewerbe anmelden\n"
        "9905001210400;zu kurz\n"
        "99008001012000;\n"
        "99050012104000;doppelt\n"
    ).encode()
    with pytest.raises(TableRefused) as caught:
        import_catalogue(data, "x.csv")
    errors = caught.value.errors
    assert [e.split(":")[0] for e in errors] == ["Zeile 3", "Zeile 4", "Zeile 5"]
    assert "14 Ziffern" in errors[0] and "Leistungsbezeichnung fehlt" in errors[1]
    assert "schon in Zeile 2" in errors[2]
    assert not Service.objects.exists()


def test_import_services_command(db, tmp_path):
    out = io.StringIO()
    call_command("import_services", str(EXCERPT), stdout=out)
    assert "8 neu" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("Name;Irgendwas\nx;y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="LeiKa-Schlüssel"):
        call_command("import_services", str(bad))


def _post_measure(client, district, fields_of_action, key):
    return client.post(
        reverse("measures:create"),
        {
            "title": "Gewerbe online",
            "summary": "Kurz.",
            "lead_municipality": district["hitzacker"].pk,
            "field_of_action": fields_of_action[0].pk,
            "status": "idea",
            "priority": "medium",
            "leika_key": key,
            "partners-TOTAL_FORMS": "0",
            "partners-INITIAL_FORMS": "0",
        },
    )


def test_unknown_key_is_a_warning_not_an_error(as_role, district, fields_of_action, catalogue):
    client = as_role("editor_own")
    response = _post_measure(client, district, fields_of_action, "99999999999999")
    assert response.status_code == 302  # saved
    response = client.get(response["Location"] + "bearbeiten/")
    assert "steht nicht im Leistungskatalog" in response.content.decode()
    bad = _post_measure(client, district, fields_of_action, "123")
    assert bad.status_code == 200 and "genau 14 Ziffern" in bad.content.decode()


def test_measure_detail_links_the_catalogue_service(as_role, district, catalogue):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], leika_key=GEWERBE)
    content = as_role("council").get(measure.get_absolute_url()).content.decode()
    assert reverse("procedures:service_detail", args=[GEWERBE]) in content
    assert "Gewerbe anmelden" in content
