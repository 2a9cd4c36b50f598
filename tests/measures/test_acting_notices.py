"""A partnership request reaches whoever acts for the asked body (municipalities.acting):
its own editors, else its Samtgemeinde's; nobody who cannot answer it."""

import pytest

from measures.models import Partnership
from measures.tasks import send_partnership_request
from municipalities.models import Role
from tests.factories import MeasureFactory, MembershipFactory, UserFactory


@pytest.fixture
def district_editor(district):
    """An editor of the Landkreis: acts for the district, not for its Samtgemeinden."""
    user = UserFactory(username="kreis-redaktion")
    MembershipFactory(user=user, municipality=district["district"], role=Role.EDITOR)
    return user


def _ask(district, body):
    measure = MeasureFactory(lead_municipality=district["gorleben"], title="Dorf-App")
    return Partnership.objects.create(measure=measure, municipality=body)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("hitzacker", ["hitzacker"]),  # own editor: only hers
        ("dannenberg", ["sg-elbtalaue"]),  # no own editor: the Samtgemeinde's administration
        ("elbtalaue", ["sg-elbtalaue"]),
        # Nobody acts for Samtgemeinde Gartow (the district's editor cannot): the coordinators
        # are told that the request reached nobody.
        ("gartow", ["koordination"]),
    ],
)
def test_request_goes_to_whoever_acts_for_the_asked_body(
    asked, expected, district, users, district_editor, mailoutbox
):
    partnership = _ask(district, district[asked])
    sent = send_partnership_request(partnership.pk)
    assert sent == (1 if expected else 0)
    addresses = sorted(a for m in mailoutbox for a in m.to)
    assert addresses == [f"{name}@example.org" for name in expected]


def test_request_skips_deactivated_and_invited_editors(district, users, mailoutbox):
    users["editor_own"].is_active = False
    users["editor_own"].save()
    invited = UserFactory(username="eingeladen")
    invited.set_unusable_password()
    invited.save()
    MembershipFactory(user=invited, municipality=district["hitzacker"], role=Role.EDITOR)
    send_partnership_request(_ask(district, district["hitzacker"]).pk)
    # Nobody at Hitzacker can answer yet: the Samtgemeinde's administration is asked.
    assert [m.to for m in mailoutbox] == [["sg-elbtalaue@example.org"]]
