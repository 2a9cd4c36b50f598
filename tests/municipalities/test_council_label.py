"""Each body's council named as the NKomVG names it, unambiguous in the district: what a
Sachstandsbericht is presented to and the deciding step of a body's Beratungsfolge."""

import pytest

from drafts.adoption import default_steps
from drafts.adoption_models import StepRole
from municipalities.models import MunicipalityKind
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def _flecken(district):
    return MunicipalityFactory(
        name="Gartow", kind=MunicipalityKind.FLECKEN, parent=district["gartow"], ars="033545403099"
    )


def test_each_kind_of_body_names_its_council(district):
    gartow = district["gartow"]
    flecken = _flecken(district)
    gemeinde = district["gorleben"]
    assert district["district"].council_label == "Kreistag"
    assert gartow.council_label == "Samtgemeinderat der Samtgemeinde Gartow"
    assert district["hitzacker"].council_label == "Rat der Stadt Hitzacker (Elbe)"
    # The Flecken shares its Samtgemeinde's name; "Rat des Fleckens" tells them apart.
    assert flecken.council_label == "Rat des Fleckens Gartow"
    assert gemeinde.council_label == "Rat der Gemeinde Gorleben"


def test_the_deciding_step_is_the_bodys_council(district):
    flecken = _flecken(district)
    for body, council in (
        (district["gartow"], "Samtgemeinderat"),
        (district["hitzacker"], "Rat der Stadt"),
        (flecken, "Rat des Fleckens"),
    ):
        [decides] = [s for s in default_steps(None, body) if s[3] == StepRole.DECIDES]
        assert decides[0] == council
