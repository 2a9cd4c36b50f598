"""Long forms list their errors at the top, explain "*" and never cut text (issue 8 §9)."""

import re

import pytest
from django.urls import reverse

from measures.models import Measure
from tests.measures.test_forms_and_flow import partner_data
from tests.measures.test_permissions import form_data

pytestmark = pytest.mark.django_db


def test_form_explains_the_asterisk_and_limits_length_without_cutting(as_role, district):
    page = as_role("editor_own").get(reverse("measures:create")).content.decode()
    assert "Pflichtfeld" in page
    title = re.search(r"<input[^>]*name=\"title\"[^>]*>", page).group(0)
    assert 'data-maxlength="200"' in title
    assert "maxlength=" not in title.replace("data-maxlength", "")
    assert "js/forms.js" in page


def test_too_long_and_missing_input_is_listed_at_the_top_with_links(as_role, district):
    client = as_role("editor_own")
    pasted = "Sehr langer Titel " * 20  # 360 characters, pasted from a document
    data = form_data(None, district["hitzacker"], title=pasted, summary="")
    data.update(partner_data())
    response = client.post(reverse("measures:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index('id="fehlerliste"') : page.index("</div>", page.index("fehlerliste"))]
    assert '<a href="#id_title">Titel</a>' in summary
    assert "Höchstens 200 Zeichen, bitte kürzen (jetzt 359 Zeichen)." in summary
    assert "Bitte füllen Sie „Kurzbeschreibung“ aus." in summary
    assert "Dieses Feld ist zwingend erforderlich" not in page
    assert pasted.strip() in page  # nothing typed is lost
    assert not Measure.objects.filter(title__startswith="Sehr langer").exists()


@pytest.mark.parametrize("path", ["measures:create", "drafts:create"])
def test_summary_include_is_used_by_the_long_forms(as_role, district, path):
    response = as_role("coordinator").get(reverse(path))
    assert "Pflichtfeld" in response.content.decode()


def test_returned_block_is_worded_for_the_coordinator(as_role, district):
    from measures.review import ReviewState, transition_to
    from municipalities.models import Membership, Role
    from tests.factories import MeasureFactory

    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    coordinator = as_role("coordinator")
    user = Membership.objects.get(role=Role.COORDINATOR).user
    transition_to(measure, ReviewState.SUBMITTED, user)
    transition_to(measure, ReviewState.CHANGES_REQUESTED, user, comment="Bitte Budget angeben.")
    page = coordinator.get(
        reverse("measures:dashboard", args=[district["district"].slug])
    ).content.decode()
    assert "Zur Überarbeitung an die Kommunen zurückgegeben" in page
    assert "Von der Koordinierungsstelle zurückgegeben" not in page
