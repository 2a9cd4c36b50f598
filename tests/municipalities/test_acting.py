"""Who acts for whom (municipalities/acting.py): every kind of body, with and without editors,
and the SQL twin equal to the Python function for every body and every role."""

import pytest

from municipalities import acting
from municipalities.models import Municipality, MunicipalityKind, Role
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory


def _editor(username, body, **extra):
    user = UserFactory(username=username, **extra)
    MembershipFactory(user=user, municipality=body, role=Role.EDITOR)
    return user


@pytest.fixture
def einheitsgemeinde(district):
    """A body directly under the district (no Samtgemeinde runs it)."""
    return MunicipalityFactory(
        name="Einheitsdorf",
        slug="einheitsdorf",
        kind=MunicipalityKind.MUNICIPALITY,
        ars="033540999999",
        ags="03354999",
        parent=district["district"],
    )


@pytest.fixture
def roster(district, einheitsgemeinde):
    """Editors of some bodies, plus people who must never count."""
    invited = _editor("eingeladen", district["gartow"])
    invited.set_unusable_password()  # invited, link not followed yet
    invited.save()
    people = {
        "hitzacker": _editor("hitzacker", district["hitzacker"]),
        "elbtalaue_a": _editor("sg-a", district["elbtalaue"], last_name="Adler"),
        "elbtalaue_b": _editor("sg-b", district["elbtalaue"], last_name="Berg"),
        "district_editor": _editor("kreis-redaktion", district["district"]),
        "inactive": _editor("ehemals", district["gorleben"], is_active=False),
        "invited": invited,
        "no_mail": _editor("ohne-mail", einheitsgemeinde, email=""),
        "coordinator": UserFactory(username="koordination"),
        "council": UserFactory(username="kreistag"),
        "nobody": UserFactory(username="ohne-rolle"),
    }
    MembershipFactory(
        user=people["coordinator"], municipality=district["district"], role=Role.COORDINATOR
    )
    MembershipFactory(user=people["council"], municipality=district["district"], role=Role.COUNCIL)
    return people


def _names(users):
    return [u.username for u in users]


def test_every_kind_of_body(district, einheitsgemeinde, roster):
    result = acting.acting_map()
    # A member town with its own editor: hers, plus the Samtgemeinde's may answer; she is told.
    hitzacker = result[district["hitzacker"].pk]
    assert _names(hitzacker.own_editors) == ["hitzacker"]
    assert _names(hitzacker.answerers) == ["hitzacker", "sg-a", "sg-b"]
    assert _names(hitzacker.notice_recipients) == ["hitzacker"]
    assert hitzacker.notified_via == district["hitzacker"]
    assert not hitzacker.nobody_can_answer
    # A member without editors: the Samtgemeinde's administration acts and is told.
    dannenberg = result[district["dannenberg"].pk]
    assert dannenberg.own_editors == ()
    assert _names(dannenberg.answerers) == ["sg-a", "sg-b"]
    assert _names(dannenberg.notice_recipients) == ["sg-a", "sg-b"]
    assert dannenberg.notified_via == district["elbtalaue"]
    assert dannenberg.acts_through_administration
    # A Samtgemeinde with editors: only its own (the district's editors do not act for it).
    elbtalaue = result[district["elbtalaue"].pk]
    assert elbtalaue.administration is None
    assert _names(elbtalaue.answerers) == ["sg-a", "sg-b"]
    assert elbtalaue.notified_via == district["elbtalaue"]
    # A Samtgemeinde whose only editor has not followed the invitation: nobody yet.
    gartow = result[district["gartow"].pk]
    assert gartow.answerers == () and gartow.nobody_can_answer
    assert gartow.notified_via is None and gartow.notice_recipients == ()
    # Its member, whose only editor is deactivated: nobody either.
    gorleben = result[district["gorleben"].pk]
    assert gorleben.administration == district["gartow"]
    assert gorleben.nobody_can_answer and gorleben.notice_recipients == ()
    # The district: its editors; the coordinator does not answer for a body.
    landkreis = result[district["district"].pk]
    assert _names(landkreis.answerers) == ["kreis-redaktion"]
    # A body directly under the district: its editor answers, but without an address
    # nobody can be told.
    einheit = result[einheitsgemeinde.pk]
    assert einheit.administration is None
    assert _names(einheit.answerers) == ["ohne-mail"]
    assert einheit.notice_recipients == () and einheit.notified_via is None


def test_acting_for_one_body_equals_the_map(district, einheitsgemeinde, roster):
    result = acting.acting_map()
    assert len(result) == Municipality.objects.count()
    for body in Municipality.objects.all():
        one = acting.acting_for(body)
        assert one.answerers == result[body.pk].answerers
        assert one.notice_recipients == result[body.pk].notice_recipients
        assert one.administration == result[body.pk].administration


def test_sql_twin_names_the_same_bodies_nobody_can_answer_for(district, einheitsgemeinde, roster):
    result = acting.acting_map()
    annotated = {b.pk: b for b in Municipality.objects.with_acting()}
    for pk, entry in result.items():
        assert annotated[pk].nobody_can_answer == entry.nobody_can_answer, entry.body
        assert annotated[pk].has_own_editors == bool(entry.own_editors), entry.body
    assert set(Municipality.objects.nobody_can_answer().values_list("pk", flat=True)) == {
        district["gartow"].pk,
        district["gorleben"].pk,
    }


ROLES = [
    "hitzacker",
    "elbtalaue_a",
    "district_editor",
    "inactive",
    "invited",
    "no_mail",
    "coordinator",
    "council",
    "nobody",
]


@pytest.mark.parametrize("role", ROLES)
def test_sql_twin_equals_the_predicate_for_every_body(role, district, einheitsgemeinde, roster):
    user = type(roster[role]).objects.get(pk=roster[role].pk)  # fresh: no cached memberships
    result = acting.acting_map()
    answered = set(acting.bodies_answered_by(user).values_list("pk", flat=True))
    for body in Municipality.objects.select_related("parent"):
        expected = user.pk in {u.pk for u in result[body.pk].answerers}
        assert acting.answers_for(user, body) == expected, (role, body)
        assert (body.pk in answered) == expected, (role, body)


def test_the_map_runs_a_constant_number_of_queries(district, roster, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        acting.acting_map()
    for i in range(5):
        body = MunicipalityFactory(
            name=f"Neudorf {i}", ars=f"03354540601{i}", parent=district["elbtalaue"]
        )
        _editor(f"neu-{i}", body)
    with django_assert_max_num_queries(2):
        result = acting.acting_map()
    assert len(result) == Municipality.objects.count()
    # Bodies given without their parent loaded: one query more, not one per body.
    bodies = list(Municipality.objects.all())
    with django_assert_max_num_queries(2):
        acting.acting_map(bodies)


def test_notice_plan_groups_bodies_by_recipient_and_names_the_untold(
    district, einheitsgemeinde, roster
):
    bodies = list(Municipality.objects.select_related("parent"))
    by_user, untold = acting.notice_plan(bodies)
    by_name = {user.username: [b.pk for b in own] for user, own in by_user.items()}
    assert by_name["hitzacker"] == [district["hitzacker"].pk]
    assert by_name["sg-a"] == [district["elbtalaue"].pk, district["dannenberg"].pk]
    assert by_name["kreis-redaktion"] == [district["district"].pk]
    assert {b.pk for b in untold} == {
        district["gartow"].pk,
        district["gorleben"].pk,
        einheitsgemeinde.pk,  # its editor has no e-mail address
    }


def test_an_api_key_acts_for_its_body_without_a_password(district):
    """The API key's principal has no password of its own and must still answer."""
    from api.authentication import TokenUser
    from api.models import ApiToken

    token = ApiToken(municipality=district["hitzacker"], prefix="abc")
    principal = TokenUser(token)
    assert acting.answers_for(principal, district["hitzacker"])
    assert not acting.answers_for(principal, district["dannenberg"])
