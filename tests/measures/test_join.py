"""Joining similar measures: a joint measure, consent of the other bodies, withdrawal of theirs."""

import pytest
from django.urls import reverse

from measures import synergy
from measures.models import Measure, Partnership, PartnershipState
from measures.review import ReviewComment, ReviewState, transition_to
from municipalities.models import Role

from ..factories import MeasureFactory, MembershipFactory, UserFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


@pytest.fixture
def dorfapps(district, users):
    made = {}
    for key in ("hitzacker", "gorleben", "dannenberg"):
        made[key] = MeasureFactory(
            lead_municipality=district[key],
            title=f"Dorf-App für {district[key].name}",
            summary="Neuigkeiten, Termine und Nachbarschaftshilfe in einer App.",
        )
    transition_to(made["gorleben"], ReviewState.SUBMITTED, users["editor_other"])
    synergy.recompute_all()
    return made


@pytest.fixture
def dannenberg_editor(district):
    user = UserFactory(username="dannenberg")
    MembershipFactory(user=user, municipality=district["dannenberg"], role=Role.EDITOR)
    return user


def join_url(*measures):
    return reverse("measures:join") + "?measures=" + ",".join(str(m.pk) for m in measures)


@pytest.mark.parametrize("role", ROLES)
def test_join_page_matrix(as_role, dorfapps, role):
    # Gorleben's and Dannenberg's apps: who may make one of them the joint measure?
    response = as_role(role).get(join_url(dorfapps["gorleben"], dorfapps["dannenberg"]))
    expected = {
        "anonymous": 302,
        "editor_own": 403,
        "editor_other": 200,
        "samtgemeinde_editor": 200,
        "coordinator": 200,
        "council": 403,
    }[role]
    assert response.status_code == expected
    if expected == 200:
        choices = {m.lead_municipality.slug for m in response.context["joint_choices"]}
        assert (
            choices
            == {
                "editor_other": {"gorleben"},
                "samtgemeinde_editor": {"dannenberg-elbe"},
                "coordinator": {"gorleben", "dannenberg-elbe"},
            }[role]
        )


def test_an_editor_cannot_make_another_bodys_measure_the_joint_one(as_role, dorfapps):
    client = as_role("editor_own")
    response = client.post(
        reverse("measures:join"),
        {
            "measures": f"{dorfapps['hitzacker'].pk},{dorfapps['gorleben'].pk}",
            "joint": dorfapps["gorleben"].pk,
            "others": [dorfapps["hitzacker"].pk],
        },
    )
    assert response.status_code == 400
    assert "Bitte wählen Sie die Maßnahme" in response.content.decode()
    assert not Partnership.objects.exists()


def test_join_needs_another_bodys_measure(as_role, dorfapps):
    response = as_role("coordinator").post(
        reverse("measures:join"),
        {
            "measures": f"{dorfapps['hitzacker'].pk},{dorfapps['gorleben'].pk}",
            "joint": dorfapps["hitzacker"].pk,
            "others": [dorfapps["hitzacker"].pk],
        },
    )
    assert response.status_code == 400
    assert "mindestens eine Maßnahme einer anderen Kommune" in response.content.decode()


def test_join_flow(
    as_role,
    client,
    dorfapps,
    users,
    dannenberg_editor,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    joint, gorleben, dannenberg = (
        dorfapps["hitzacker"],
        dorfapps["gorleben"],
        dorfapps["dannenberg"],
    )
    coordinator = as_role("coordinator")
    cluster_page = coordinator.get(reverse("measures:synergies"))
    assert [c.size for c in cluster_page.context["clusters"]] == [3]
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("measures:join"),
            {
                "measures": ",".join(str(m.pk) for m in dorfapps.values()),
                "joint": joint.pk,
                "others": [gorleben.pk, dannenberg.pk],
            },
        )
    assert response.status_code == 302
    asked = {p.municipality.slug: p for p in Partnership.objects.filter(measure=joint)}
    assert set(asked) == {"gorleben", "dannenberg-elbe"}
    assert all(p.state == PartnershipState.REQUESTED for p in asked.values())
    assert asked["gorleben"].merges_measure == gorleben
    mail = next(m for m in mailoutbox if users["editor_other"].email in m.to)
    assert "wird Ihre Maßnahme zurückgezogen" in mail.body
    # Nobody counts as partner yet; nothing is withdrawn.
    assert not Measure.objects.get(pk=joint.pk).is_joint
    assert Measure.objects.get(pk=gorleben.pk).review_state == ReviewState.SUBMITTED

    # Gorleben agrees: its own measure is withdrawn and points to the joint one.
    history_before = gorleben.history.count()
    gorleben_client = as_role("editor_other")
    answer = reverse("measures:partnership_answer", args=[asked["gorleben"].pk])
    assert "Zusammenlegung ähnlicher Maßnahmen" in gorleben_client.get(answer).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        gorleben_client.post(answer, {"action": "confirm"})
    gorleben.refresh_from_db()
    assert gorleben.review_state == ReviewState.WITHDRAWN
    assert gorleben.joined_into == joint
    assert gorleben.history.count() > history_before
    entry = ReviewComment.objects.filter(measure=gorleben, to_state=ReviewState.WITHDRAWN).get()
    assert "Aufgegangen in der gemeinsamen Maßnahme" in entry.text
    page = gorleben_client.get(gorleben.get_absolute_url()).content.decode()
    assert joint.get_absolute_url() in page and "aufgegangen in der gemeinsamen" in page.lower()
    joint_page = gorleben_client.get(joint.get_absolute_url()).content.decode()
    assert gorleben.get_absolute_url() in joint_page

    # Dannenberg declines: its measure stays, the cluster with it stays open.
    client.force_login(dannenberg_editor)
    answer = reverse("measures:partnership_answer", args=[asked["dannenberg-elbe"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer, {"action": "decline", "reason": "Wir haben schon eine App."})
    dannenberg.refresh_from_db()
    assert dannenberg.review_state == ReviewState.DRAFT and dannenberg.joined_into is None

    clusters = synergy.clusters()
    assert [{m.pk for m in c.measures} for c in clusters] == [{joint.pk, dannenberg.pk}]
    dashboard = as_role("coordinator").get(
        reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"])
    )
    assert dashboard.context["synergy_summary"] == {"clusters": 1, "joint": 1, "total": 2}


def test_join_from_the_measure_page(as_role, dorfapps):
    page = as_role("editor_own").get(dorfapps["hitzacker"].get_absolute_url())
    assert page.context["can_join"]
    similar = [row.other_id for row in page.context["similar"]]
    assert set(similar) == {dorfapps["gorleben"].pk, dorfapps["dannenberg"].pk}
    assert "Zusammenlegen vorschlagen" in page.content.decode()


def _post_join(client, dorfapps, **extra):
    return client.post(
        reverse("measures:join"),
        {
            "measures": ",".join(str(m.pk) for m in dorfapps.values()),
            "joint": dorfapps["hitzacker"].pk,
            "others": [dorfapps["gorleben"].pk, dorfapps["dannenberg"].pk],
            **extra,
        },
    )


def test_the_merge_can_rename_the_joint_measure(as_role, dorfapps, users):
    joint = dorfapps["hitzacker"]
    transition_to(joint, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(joint, ReviewState.ACCEPTED, users["coordinator"])
    version = Measure.objects.get(pk=joint.pk).version
    client = as_role("coordinator")
    assert (
        "Neuer Titel der gemeinsamen Maßnahme"
        in client.get(join_url(*dorfapps.values())).content.decode()
    )
    response = _post_join(client, dorfapps, title="  Dorf-App für das Wendland  ")
    assert response.status_code == 302
    joint = Measure.objects.get(pk=joint.pk)
    assert joint.title == "Dorf-App für das Wendland"
    assert joint.version == version + 1 and joint.updated_by == users["coordinator"]
    assert joint.history.first().history_user == users["coordinator"]
    # A new title is new substance: the accepted measure goes back to review, as after an edit.
    assert joint.review_state == ReviewState.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert "„Dorf-App für das Wendland“ auf" in page and "erneut in die Prüfung" in page
    assert Partnership.objects.filter(measure=joint).count() == 2


def test_an_empty_title_keeps_the_joint_measures_title(as_role, dorfapps):
    joint = dorfapps["hitzacker"]
    response = _post_join(as_role("coordinator"), dorfapps, title="   ")
    assert response.status_code == 302
    after = Measure.objects.get(pk=joint.pk)
    assert (after.title, after.version) == (joint.title, joint.version)


@pytest.mark.parametrize("title", ["x" * 100_000, "Dorf\x00App"])
def test_a_bad_title_is_refused_in_german_and_nothing_is_asked(as_role, dorfapps, title):
    response = _post_join(as_role("coordinator"), dorfapps, title=title)
    assert response.status_code == 400
    page = response.content.decode()
    assert "höchstens 200 Zeichen" in page or "Nullzeichen sind nicht erlaubt" in page
    assert Measure.objects.get(pk=dorfapps["hitzacker"].pk).title == "Dorf-App für Hitzacker (Elbe)"
    assert not Partnership.objects.exists()


def test_an_editor_of_another_body_cannot_rename_by_merging(as_role, dorfapps):
    """Only who may edit the joint measure may make it the joint one, and rename it."""
    response = as_role("editor_other").post(
        reverse("measures:join"),
        {
            "measures": ",".join(str(m.pk) for m in dorfapps.values()),
            "joint": dorfapps["hitzacker"].pk,
            "others": [dorfapps["dannenberg"].pk],
            "title": "Übernommen",
        },
    )
    assert response.status_code in (400, 403)
    assert Measure.objects.get(pk=dorfapps["hitzacker"].pk).title == "Dorf-App für Hitzacker (Elbe)"


def test_dropped_measures_are_left_out_of_the_groups(as_role, dorfapps):
    from measures.models import Status

    Measure.objects.filter(pk=dorfapps["dannenberg"].pk).update(status=Status.DROPPED)
    clusters = synergy.clusters()
    assert [{m.pk for m in c.measures} for c in clusters] == [
        {dorfapps["hitzacker"].pk, dorfapps["gorleben"].pk}
    ]
    assert synergy.cluster_count() == 1
    page = as_role("coordinator").get(reverse("measures:synergies")).content.decode()
    assert dorfapps["dannenberg"].title not in page
    Measure.objects.filter(pk=dorfapps["gorleben"].pk).update(status=Status.DROPPED)
    assert synergy.clusters() == [] and synergy.cluster_count() == 0
