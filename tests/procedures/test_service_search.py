"""The service search behind the LeiKa combobox of the measure form: roles, matches, bad input."""

import pytest
from django.urls import reverse

from measures.models import Measure
from procedures.catalogue import SEARCH_LIMIT
from procedures.models import Service

from ..factories import MeasureFactory
from .conftest import GEWERBE

URL = reverse("procedures:service_search")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("editor_own", 200),
        ("editor_other", 200),
        ("samtgemeinde_editor", 200),
        ("coordinator", 200),
        ("council", 403),
    ],
)
def test_who_may_search(as_role, catalogue, role, status):
    response = as_role(role).get(URL, {"q": "gewerbe"})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 403:
        assert "Koordinierungsstelle" in response.json()["error"]


def test_finds_a_service_by_part_of_its_name(as_role, catalogue):
    response = as_role("editor_own").get(URL, {"q": "Gewerbe"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "key": GEWERBE,
                "name": "Gewerbe anmelden",
                "topic": "Unternehmensführung & -entwicklung",
            }
        ],
        "more": False,
    }


def test_every_word_must_match_in_any_order_and_case(as_role, catalogue):
    client = as_role("editor_own")
    names = [r["name"] for r in client.get(URL, {"q": "BEANTRAGEN wohn"}).json()["results"]]
    assert names == [
        "Parkausweis für Bewohner beantragen",
        "Wohnberechtigungsschein beantragen",
        "Wohngeld beantragen",
    ]
    assert client.get(URL, {"q": "wohngeld gewerbe"}).json()["results"] == []


def test_digits_find_a_service_by_the_start_of_its_key(as_role, catalogue):
    client = as_role("editor_own")
    assert [r["key"] for r in client.get(URL, {"q": "9910702"}).json()["results"]] == [
        "99107022012000",
        "99107023037000",
    ]
    assert [r["name"] for r in client.get(URL, {"q": GEWERBE}).json()["results"]] == [
        "Gewerbe anmelden"
    ]


def test_at_most_twenty_with_a_sign_that_there_are_more(as_role, db, django_assert_max_num_queries):
    Service.objects.bulk_create(
        Service(leika_key=f"9900000000{n:04d}", name=f"Testleistung {n:02d}") for n in range(30)
    )
    client = as_role("editor_own")
    with django_assert_max_num_queries(4):  # session, user, memberships, the search
        data = client.get(URL, {"q": "Testleistung"}).json()
    assert len(data["results"]) == SEARCH_LIMIT
    assert data["more"] is True
    assert data["results"][0]["name"] == "Testleistung 00"


@pytest.mark.parametrize("query", ["", "g", " ", "   x  "])
def test_too_short_finds_nothing(as_role, catalogue, query):
    response = as_role("editor_own").get(URL, {"q": query})
    assert response.status_code == 200
    assert response.json() == {"results": [], "more": False}


def test_an_empty_catalogue_is_named(as_role, db, django_assert_max_num_queries):
    client = as_role("editor_own")
    with django_assert_max_num_queries(5):  # session, user, memberships, search, exists
        data = client.get(URL, {"q": "Gewerbe"}).json()
    assert data == {"results": [], "more": False, "catalogue_empty": True}


def test_nothing_found_in_a_filled_catalogue(as_role, catalogue):
    data = as_role("editor_own").get(URL, {"q": "Raumfahrt"}).json()
    assert data == {"results": [], "more": False, "catalogue_empty": False}


def test_no_query_at_all_finds_nothing(as_role, catalogue):
    assert as_role("editor_own").get(URL).json() == {"results": [], "more": False}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Gewer\x00be", "unzulässiges Zeichen"),
        ("\x00\x00", "unzulässiges Zeichen"),
        ("a" * 101, "höchstens 100 Zeichen"),
    ],
)
def test_bad_input_is_refused_in_german(as_role, catalogue, query, message):
    response = as_role("coordinator").get(URL, {"q": query})
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", "Gewerbe%", "ä ö ü ß", "🙂🙂"])
def test_special_characters_are_searched_literally(as_role, catalogue, query):
    response = as_role("editor_own").get(URL, {"q": query})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_form_offers_the_search_and_names_a_known_service(as_role, district, catalogue):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], leika_key=GEWERBE)
    page = as_role("editor_own").get(reverse("measures:update", args=[measure.pk]))
    content = page.content.decode()
    assert f'data-service-search="{URL}"' in content
    assert 'data-service-name="leika-service"' in content
    assert "Gewählte Leistung: <strong>Gewerbe anmelden</strong>" in content
    assert "steht nicht im Leistungskatalog" not in content
    assert "js/service_combobox.js" in content
    assert 'data-maxlength="14"' not in content  # no character counter for a 14-digit key
    # Without JavaScript a plain text field that takes a key or a name: no combobox role, no
    # numeric keyboard, no length cut.
    field = str(page.context["form"]["leika_key"])
    assert field.startswith('<input type="text" name="leika_key"')
    assert "role=" not in field and "inputmode" not in field and "maxlength" not in field


def test_form_keeps_an_unknown_well_formed_key_with_a_warning(as_role, district, catalogue):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], leika_key="99999999999999")
    content = as_role("editor_own").get(reverse("measures:update", args=[measure.pk]))
    content = content.content.decode()
    assert "steht nicht im Leistungskatalog" in content
    assert "Gewählte Leistung" not in content
    assert Measure.objects.get().leika_key == "99999999999999"


def test_new_measure_form_shows_no_service_yet(as_role, catalogue):
    content = as_role("editor_own").get(reverse("measures:create")).content.decode()
    assert '<p id="leika-service" class="form-text"></p>' in content


def _post(client, district, key):
    from fields_of_action.models import FieldOfAction

    return client.post(
        reverse("measures:create"),
        {
            "title": "Gewerbe online",
            "summary": "Kurz.",
            "lead_municipality": district["hitzacker"].pk,
            "field_of_action": FieldOfAction.objects.get(number=1).pk,
            "status": "idea",
            "priority": "medium",
            "leika_key": key,
            "partners-TOTAL_FORMS": "0",
            "partners-INITIAL_FORMS": "0",
        },
    )


@pytest.mark.parametrize(
    "typed", ["Gewerbe anmelden", "  gewerbe ANMELDEN ", "99050 012 104 000", "99.050.012.104.000"]
)
def test_without_javascript_an_exact_name_or_a_spaced_key_is_saved_as_the_key(
    as_role, district, catalogue, typed
):
    response = _post(as_role("editor_own"), district, typed)
    assert response.status_code == 302
    assert Measure.objects.get().leika_key == GEWERBE


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Raumfahrt beantragen", "Keine Leistung dieses Namens im Leistungskatalog"),
        ("beantragen", "Keine Leistung dieses Namens"),  # six services: not one
        ("Gewerbe\x00anmelden", "Null"),
        ("x" * 400, "Keine Leistung dieses Namens"),
        ("12345", "genau 14 Ziffern"),
    ],
)
def test_an_unknown_name_is_explained_and_nothing_is_saved(
    as_role, district, catalogue, typed, message
):
    response = _post(as_role("editor_own"), district, typed)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["leika_key"])
    assert not Measure.objects.exists()
