# ruff: noqa: F811 - fixtures imported from test_join are parameters here
"""A withdrawal and the confirmation of a join at the same time (PostgreSQL, two threads).

Whichever gets the measure's lock first decides; the other waits and sees its result. No
partner's measure goes into a withdrawn joint one, and nothing deadlocks.
"""

import pytest

from measures import partnerships
from measures.models import Measure, Partnership, PartnershipState
from measures.review import ReviewError, ReviewState, withdraw
from tests.race import Pause, race_test, start, wait_until_blocked_on_lock

from .test_join import dorfapps  # noqa: F401 - fixture
from .test_join_states import asked  # noqa: F401 - fixture

pytestmark = race_test


def _withdraw(user, pk):
    return lambda: withdraw(Measure.objects.get(pk=pk), user, "Wird nicht weiterverfolgt.")


def _confirm(user, pk):
    return lambda: partnerships.confirm(Partnership.objects.get(pk=pk), user)


def test_confirmation_waits_for_a_withdrawal_in_progress_and_is_refused(
    users,
    dorfapps,
    asked,
):
    joint, own = dorfapps["hitzacker"], dorfapps["gorleben"]
    with Pause("measures.review.transition_to", "withdrawal", after=True) as pause:
        withdrawal = start(_withdraw(users["editor_own"], joint.pk), "withdrawal")
        pause.wait_reached()
        confirmation = start(_confirm(users["editor_other"], asked.pk), "confirmation")
        wait_until_blocked_on_lock()
        pause.resume()
        withdrawal.outcome()
        with pytest.raises(ReviewError, match="nicht mehr möglich"):
            confirmation.outcome()
    own = Measure.objects.get(pk=own.pk)
    assert own.review_state == ReviewState.SUBMITTED and own.joined_into is None
    assert Partnership.objects.get(pk=asked.pk).state == PartnershipState.DECLINED


def test_withdrawal_waits_for_a_confirmation_in_progress(
    users,
    dorfapps,
    asked,
):
    joint, own = dorfapps["hitzacker"], dorfapps["gorleben"]
    with Pause("measures.partnerships._answer", "confirmation", after=True) as pause:
        confirmation = start(_confirm(users["editor_other"], asked.pk), "confirmation")
        pause.wait_reached()
        withdrawal = start(_withdraw(users["editor_own"], joint.pk), "withdrawal")
        wait_until_blocked_on_lock()
        pause.resume()
        confirmation.outcome()
        withdrawal.outcome()
    # The confirmation came first: the join happened, then the lead withdrew the joint one,
    # which gave the own measure back (its state from before the join, unlinked).
    assert Partnership.objects.get(pk=asked.pk).state == PartnershipState.CONFIRMED
    before = own.review_state
    own = Measure.objects.get(pk=own.pk)
    assert own.joined_into is None and own.review_state == before != ReviewState.WITHDRAWN
    assert own.review_comments.filter(text__startswith="Wieder aufgenommen").count() == 1


def test_own_measure_withdrawn_while_the_join_is_confirmed(
    users,
    dorfapps,
    asked,
):
    own = dorfapps["gorleben"]
    with Pause("measures.review.transition_to", "withdrawal", after=True) as pause:
        withdrawal = start(_withdraw(users["editor_other"], own.pk), "withdrawal")
        pause.wait_reached()
        confirmation = start(_confirm(users["editor_other"], asked.pk), "confirmation")
        wait_until_blocked_on_lock()
        pause.resume()
        withdrawal.outcome()
        with pytest.raises(ReviewError, match="bereits zurückgezogen"):
            confirmation.outcome()
    own = Measure.objects.get(pk=own.pk)
    assert own.joined_into is None
    assert Partnership.objects.get(pk=asked.pk).state == PartnershipState.DECLINED
