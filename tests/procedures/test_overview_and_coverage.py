"""Consolidation overview, opportunities, coverage figures and flat query counts."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Municipality, MunicipalityKind
from procedures import coverage
from procedures.models import OnlineStatus, ProcedureEntry, ServiceOffer
from procedures.overview import summarise

from .conftest import GEWERBE

TODAY = datetime.date(2026, 12, 1)


def _entry(body, category, product, end=None, **extra):
    return ProcedureEntry.objects.create(
        municipality=body,
        category=category,
        product=product,
        operating_model="provider",
        provider_name=extra.pop("provider_name", "KDO"),
        contract_end=end,
        **extra,
    )


def test_counts_per_category_and_opportunities(district, categories):
    ris = categories["ratsinformationssystem"]
    _entry(district["hitzacker"], ris, "ALLRIS", datetime.date(2027, 6, 30))
    _entry(district["dannenberg"], ris, "SD.NET", datetime.date(2028, 11, 30))
    _entry(district["gorleben"], ris, "ALLRIS", datetime.date(2030, 1, 1))
    _entry(district["gartow"], ris, "Session", datetime.date(2026, 1, 1))  # already ended
    _entry(district["hitzacker"], categories["finanzwesen"], "H&H proDoppik", TODAY)
    _categories, summaries, _entries, opportunities, horizon = summarise(TODAY)
    by_slug = {s.category.slug: s for s in summaries}
    assert len(by_slug["ratsinformationssystem"].products) == 3
    assert len(by_slug["ratsinformationssystem"].bodies) == 4
    assert horizon == datetime.date(2028, 12, 1)
    # Finance: only one body is free to choose, no opportunity.
    assert [o.category.slug for o in opportunities] == ["ratsinformationssystem"]
    assert [b.name for b in opportunities[0].bodies] == ["Hitzacker (Elbe)", "Dannenberg (Elbe)"]
    assert opportunities[0].others == 2


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_overview_page_and_joint_measure_button(as_role, district, categories, fields_of_action):
    ris = categories["ratsinformationssystem"]
    _entry(district["hitzacker"], ris, "ALLRIS", datetime.date(2027, 6, 30))
    _entry(district["dannenberg"], ris, "ALLRIS", datetime.date(2027, 9, 30))
    client = as_role("samtgemeinde_editor")
    content = client.get(reverse("procedures:overview")).content.decode()
    assert "Ratsinformationssystem:</strong>\n    1 Produkt in 2 Kommunen" in content
    assert 'role="region"' in content and 'tabindex="0"' in content
    start = content.index('href="/massnahmen/neu/?')
    url = content[start + 6 : content.index('"', start + 6)].replace("&amp;", "&")
    query = parse_qs(urlsplit(url).query)
    assert query["handlungsfeld"] == ["2"]
    assert sorted(int(p) for p in query["partner"]) == sorted(
        [district["hitzacker"].pk, district["dannenberg"].pk]
    )
    form_page = client.get(url).content.decode()
    field_two = fields_of_action[1]
    assert f'<option value="{field_two.pk}" selected>' in form_page
    for body in (district["hitzacker"], district["dannenberg"]):
        assert f'<option value="{body.pk}" selected>' in form_page
    assert 'value="Gemeinsames Verfahren Ratsinformationssystem"' in form_page


def test_prefilled_partners_leave_out_the_preselected_lead(as_role, district, fields_of_action):
    client = as_role("editor_own")  # acts for Hitzacker only: it is preselected as lead
    url = (
        reverse("measures:create")
        + f"?handlungsfeld=2&partner={district['hitzacker'].pk}&partner={district['dannenberg'].pk}"
    )
    page = client.get(url).content.decode()
    partner_rows = page[page.index('id="partner-rows"') :]
    assert f'<option value="{district["dannenberg"].pk}" selected>' in partner_rows
    assert f'<option value="{district["hitzacker"].pk}" selected>' not in partner_rows


def test_coverage_share_per_service_and_topic(district, catalogue):
    gewerbe = catalogue[GEWERBE]  # Samtgemeinde level: Elbtalaue and Gartow here
    ServiceOffer.objects.create(
        municipality=district["elbtalaue"],
        service=gewerbe,
        status=OnlineStatus.ONLINE,
        url="https://example.org",
    )
    ServiceOffer.objects.create(
        municipality=district["gartow"], service=gewerbe, status=OnlineStatus.PLANNED
    )
    assert coverage.share(leika_key=GEWERBE) == (1, 2)
    assert coverage.share(topic="Unternehmensführung & -entwicklung") == (1, 2)
    # A member Gemeinde's area is its Samtgemeinde.
    assert coverage.share(leika_key=GEWERBE, within=district["hitzacker"]) == (1, 1)
    hundesteuer = catalogue["99102013104000"]  # every Gemeinde: 3 here
    _bodies, rows, _topics = coverage.coverage([hundesteuer])
    assert rows[0].total == 3 and rows[0].online == 0
    with pytest.raises(LookupError):
        coverage.share(leika_key="99999999999999")


def test_coverage_page_shows_online_in_x_of_y(client, district, catalogue, offer):
    content = client.get(reverse("procedures:coverage")).content.decode()
    assert "Gewerbe anmelden</a>: online in 1 von 2" in content
    assert "Unternehmensführung &amp; -entwicklung:</strong> online in 1 von 2 (50 %)" in content
    assert reverse("measures:list") not in content.split("Leistung und Kommune")[1]


def _populate(count, categories, catalogue):
    """``count`` more Gemeinden under a new Samtgemeinde, each with entries and an offer."""
    district = Municipality.objects.get(kind=MunicipalityKind.DISTRICT)
    sg = Municipality.objects.create(
        name=f"Test {count}",
        official_name=f"Test {count}",
        slug=f"sg-test-{count}",
        kind=MunicipalityKind.SAMTGEMEINDE,
        ars=f"03354{count:04d}",
        parent=district,
    )
    bodies = Municipality.objects.bulk_create(
        Municipality(
            name=f"Gemeinde {count}-{i}",
            official_name=f"Gemeinde {count}-{i}",
            slug=f"g-{count}-{i}",
            kind=MunicipalityKind.MUNICIPALITY,
            ars=f"{sg.ars}{i:03d}",
            parent=sg,
            tree_path=f"{sg.tree_path}/{sg.ars}{i:03d}",
        )
        for i in range(count)
    )
    slugs = ["einwohnerwesen", "finanzwesen", "ratsinformationssystem"]
    entries = ProcedureEntry.objects.bulk_create(
        ProcedureEntry(
            municipality=body,
            category=categories[slug],
            product=f"Produkt {i % 4}",
            operating_model="provider",
            provider_name="KDO",
            contract_end=datetime.date(2027, 1 + i % 12, 1),
        )
        for i, body in enumerate(bodies)
        for slug in slugs
    )
    ProcedureEntry.services.through.objects.bulk_create(
        ProcedureEntry.services.through(procedureentry_id=e.pk, service_id=catalogue[GEWERBE].pk)
        for e in entries
    )
    ServiceOffer.objects.bulk_create(
        ServiceOffer(
            municipality=body,
            service=catalogue["99102013104000"],
            status=[OnlineStatus.ONLINE, OnlineStatus.PLANNED, OnlineStatus.NOT_ONLINE][i % 3],
            url="https://example.org",
        )
        for i, body in enumerate(bodies)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
@pytest.mark.parametrize(
    "url_name", ["procedures:overview", "procedures:coverage", "procedures:services"]
)
def test_query_count_is_flat_with_31_and_300_bodies(
    as_role, district, categories, catalogue, role, url_name
):
    client = as_role(role)
    url = reverse(url_name)
    client.get(url)  # warm caches (session, memberships)
    _populate(25, categories, catalogue)  # with the fixture's 6: 31 bodies
    assert Municipality.objects.count() == 32
    small = _queries(client, url)
    _populate(269, categories, catalogue)
    assert Municipality.objects.count() >= 300
    large = _queries(client, url)
    assert small == large, (small, large)
    assert large <= 12


def test_register_query_count_is_flat(as_role, district, categories, catalogue):
    client = as_role("council")
    url = reverse("procedures:register", args=["hitzacker-elbe"])
    client.get(url)
    _entry(district["hitzacker"], categories["finanzwesen"], "A")
    small = _queries(client, url)
    for i, slug in enumerate(["bauen", "personal", "netz", "backup", "telefonie"]):
        entry = _entry(district["hitzacker"], categories[slug], f"B{i}")
        entry.services.set(list(catalogue.values())[:3])
        ServiceOffer.objects.create(
            municipality=district["hitzacker"],
            service=list(catalogue.values())[i],
            status=OnlineStatus.PLANNED,
            procedure=entry,
        )
    assert _queries(client, url) == small


def test_planned_offer_links_the_bodys_measures_with_the_key(as_role, district, catalogue):
    ServiceOffer.objects.create(
        municipality=district["gartow"], service=catalogue[GEWERBE], status=OnlineStatus.PLANNED
    )
    link = f"{reverse('measures:list')}?q={GEWERBE}&amp;municipality=sg-gartow"
    assert link in as_role("council").get(reverse("procedures:coverage")).content.decode()
    register = reverse("procedures:register", args=["sg-gartow"])
    assert link in as_role("editor_other").get(register).content.decode()
    client = as_role("anonymous")
    client.logout()  # the same test client was logged in above
    assert link not in client.get(reverse("procedures:coverage")).content.decode()
