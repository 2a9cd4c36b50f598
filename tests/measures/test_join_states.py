# ruff: noqa: F811 - fixtures imported from test_join are parameters here
"""A join is confirmable only while every measure in it can still join (any database).

The threaded variants (withdrawal and confirmation at the same time) are in
test_join_races.py (PostgreSQL).
"""

import pytest
from django.urls import reverse

from measures import partnerships
from measures.models import Measure, Partnership, PartnershipState
from measures.review import ReviewComment, ReviewError, ReviewState, withdraw
from tests.race import interleave

from .test_join import dorfapps  # noqa: F401 - fixture


@pytest.fixture
def asked(as_role, dorfapps):
    """The coordinator joins Hitzacker's and Gorleben's apps into Hitzacker's."""
    response = as_role("coordinator").post(
        reverse("measures:join"),
        {
            "measures": f"{dorfapps['hitzacker'].pk},{dorfapps['gorleben'].pk}",
            "joint": dorfapps["hitzacker"].pk,
            "others": [dorfapps["gorleben"].pk],
        },
    )
    assert response.status_code == 302
    return Partnership.objects.get(measure=dorfapps["hitzacker"])


def _withdraw_joint(as_role, joint):
    response = as_role("editor_own").post(
        reverse("measures:withdraw", args=[joint.pk]), {"reason": "Wird nicht weiterverfolgt."}
    )
    assert response.status_code == 302
    assert Measure.objects.get(pk=joint.pk).review_state == ReviewState.WITHDRAWN


def test_confirming_after_the_joint_measure_was_withdrawn_keeps_the_own_measure(
    as_role,
    dorfapps,
    asked,
):
    joint, own = dorfapps["hitzacker"], dorfapps["gorleben"]
    _withdraw_joint(as_role, joint)

    answer = reverse("measures:partnership_answer", args=[asked.pk])
    response = as_role("editor_other").post(answer, {"action": "confirm"}, follow=True)

    own.refresh_from_db()
    assert own.review_state == ReviewState.SUBMITTED and own.joined_into is None
    asked.refresh_from_db()
    assert asked.state != PartnershipState.CONFIRMED
    page = response.content.decode()
    assert "wurde inzwischen von der federführenden Kommune zurückgezogen" in page
    assert "bleibt unverändert bestehen" in page


def test_withdrawing_the_joint_measure_ends_its_open_requests_and_says_why(
    as_role,
    users,
    dorfapps,
    asked,
):
    joint, own = dorfapps["hitzacker"], dorfapps["gorleben"]
    _withdraw_joint(as_role, joint)

    asked.refresh_from_db()
    assert asked.state == PartnershipState.DECLINED
    assert "wurde zurückgezogen: Wird nicht weiterverfolgt." in asked.decline_reason
    assert not partnerships.open_requests(users["editor_other"]).exists()
    # The partner body reads why in its own measure's thread.
    note = ReviewComment.objects.filter(measure=own, text__startswith="Anfrage an").get()
    assert "Anfrage an" in note.text and "Wird nicht weiterverfolgt." in note.text


def test_an_open_request_on_a_withdrawn_joint_measure_is_refused_with_the_reason(
    as_role,
    dorfapps,
    asked,
):
    # Requests left open by older versions: the confirmation itself checks the states.
    joint, own = dorfapps["hitzacker"], dorfapps["gorleben"]
    Measure.objects.filter(pk=joint.pk).update(review_state=ReviewState.WITHDRAWN)

    answer = reverse("measures:partnership_answer", args=[asked.pk])
    response = as_role("editor_other").post(answer, {"action": "confirm"})

    assert response.status_code == 400
    assert "Eine Beteiligung ist nicht mehr möglich" in response.content.decode()
    own.refresh_from_db()
    assert own.review_state == ReviewState.SUBMITTED
    asked.refresh_from_db()
    assert asked.state == PartnershipState.REQUESTED


def test_a_withdrawn_own_measure_cannot_join(as_role, users, dorfapps, asked):
    own = dorfapps["gorleben"]
    Measure.objects.filter(pk=own.pk).update(review_state=ReviewState.WITHDRAWN)
    with pytest.raises(ReviewError, match="bereits zurückgezogen"):
        partnerships.confirm(asked, users["editor_other"])
    asked.refresh_from_db()
    assert asked.state == PartnershipState.REQUESTED


def test_withdrawing_the_own_measure_ends_the_request_to_join_it(
    as_role,
    users,
    dorfapps,
    asked,
):
    own = dorfapps["gorleben"]
    withdraw(Measure.objects.get(pk=own.pk), users["editor_other"], "Doch nicht.")
    asked.refresh_from_db()
    assert asked.state == PartnershipState.DECLINED
    assert "die aufgehen sollte" in asked.decline_reason


def test_a_join_proposed_on_a_measure_withdrawn_meanwhile_is_refused(
    as_role,
    users,
    dorfapps,
):
    joint, own = dorfapps["hitzacker"], dorfapps["gorleben"]

    def lead_withdraws():
        withdraw(Measure.objects.get(pk=joint.pk), users["editor_own"], "Erledigt sich.")

    with interleave("measures.views.synergy._load", lead_withdraws):
        response = as_role("coordinator").post(
            reverse("measures:join"),
            {"measures": f"{joint.pk},{own.pk}", "joint": joint.pk, "others": [own.pk]},
        )
    assert response.status_code == 400
    assert "Inzwischen zurückgezogen" in response.content.decode()
    assert not Partnership.objects.filter(measure=joint).exists()


def test_confirming_an_open_join_still_works(as_role, dorfapps, asked):
    answer = reverse("measures:partnership_answer", args=[asked.pk])
    response = as_role("editor_other").post(answer, {"action": "confirm"})
    assert response.status_code == 302
    own = Measure.objects.get(pk=dorfapps["gorleben"].pk)
    assert own.review_state == ReviewState.WITHDRAWN
    assert own.joined_into_id == dorfapps["hitzacker"].pk


def test_withdrawing_a_joint_measure_after_the_join_gives_the_own_measure_back(
    as_role, dorfapps, asked, mailoutbox, django_capture_on_commit_callbacks
):
    """The issue's sequence in the other order: confirmed first, then the lead withdraws.
    The partner's measure must not vanish with the joint one."""
    joint, own = dorfapps["hitzacker"], dorfapps["gorleben"]
    answer = reverse("measures:partnership_answer", args=[asked.pk])
    assert as_role("editor_other").post(answer, {"action": "confirm"}).status_code == 302
    own.refresh_from_db()
    assert own.review_state == ReviewState.WITHDRAWN and own.joined_into_id == joint.pk

    page = as_role("editor_own").get(reverse("measures:withdraw", args=[joint.pk]))
    text = page.content.decode()
    assert "wieder aufgenommen" in text and own.reference in text
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw_joint(as_role, joint)

    own.refresh_from_db()
    assert own.review_state == ReviewState.SUBMITTED  # as before the join
    assert own.joined_into is None
    entry = ReviewComment.objects.filter(measure=own).latest("created_at", "pk")
    assert entry.from_state == ReviewState.WITHDRAWN and entry.to_state == ReviewState.SUBMITTED
    assert joint.reference in entry.text and "Wird nicht weiterverfolgt." in entry.text
    back = [m for m in mailoutbox if m.subject.startswith("Wieder aufgenommen:")]
    assert len(back) == 1 and back[0].to == ["gorleben@example.org"]
    assert Measure.objects.concerning(own.lead_municipality).filter(pk=own.pk).exists()
