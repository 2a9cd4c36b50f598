"""The Zusammenfassung's key figures (drafts/summary.py)."""

from drafts.summary import summarise


def body(pk, kind):
    return {"id": pk, "name": f"K{pk}", "label": f"K{pk}", "kind": kind}


def measure(pk, lead, partners=()):
    return {
        "id": pk,
        "field_of_action": 1,
        "status": "idea",
        "lead": {"id": lead},
        "partners": [{"id": p} for p in partners],
    }


def test_bodies_taking_part_count_the_kommunen_not_the_landkreis():
    # Found in the Beschlussvorlage of the bench: "31 von 30 Kommunen wirken mit".
    snapshot = {
        "bodies": [body(1, "district"), body(2, "samtgemeinde"), body(3, "municipality")],
        "fields": [{"number": 1, "short_title": "Dienste"}],
        "measures": [measure(10, lead=1, partners=[2]), measure(11, lead=3)],
    }
    summary = summarise(snapshot)
    assert summary["bodies_total"] == 2
    assert summary["bodies_taking_part"] == 2
    snapshot["measures"] = [measure(10, lead=1)]
    assert summarise(snapshot)["bodies_taking_part"] == 0
