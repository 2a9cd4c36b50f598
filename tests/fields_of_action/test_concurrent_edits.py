"""Two coordinators edit the same goal: the later save is refused, nothing overwritten unseen."""

from django.urls import reverse

from fields_of_action.models import FieldOfAction, Goal


def test_second_save_of_a_goal_is_refused_and_shows_the_first_one(as_role):
    goal = Goal.objects.create(field_of_action=FieldOfAction.objects.get(number=1), title="Alt")
    client = as_role("coordinator")
    url = reverse("fields_of_action:goal_update", args=[goal.pk])
    token = goal.updated_at.isoformat()  # both opened the form

    first = client.post(url, {"title": "Erste", "position": "1", "loaded_version": token})
    assert first.status_code == 302
    second = client.post(
        url, {"title": "Zweite", "description": "meine", "position": "1", "loaded_version": token}
    )

    assert second.status_code == 409
    content = second.content.decode()
    assert "Das Ziel wurde inzwischen geändert" in content and 'value="Zweite"' in content
    changes = {c["field"]: c for c in second.context["conflict"]["changes"]}
    assert (changes["Ziel"]["stored"], changes["Ziel"]["typed"]) == ("Erste", "Zweite")
    assert Goal.objects.get(pk=goal.pk).title == "Erste"
