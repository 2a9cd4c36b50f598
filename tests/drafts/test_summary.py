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


def test_chart_labels_show_the_full_short_titles():
    # Found on the draft page and in the PDF: "1. Digitale Verwaltungsleistun…".
    from drafts.charts import budget_per_field, status_per_field

    titles = ["Digitale Verwaltungsleistungen", "IT-Sicherheit, Datenschutz und Datenmanagement"]
    snapshot = {
        "bodies": [body(1, "district")],
        "fields": [{"number": n, "short_title": t} for n, t in enumerate(titles, 1)],
        "measures": [measure(10, lead=1)],
    }
    summary = summarise(snapshot)
    for chart in (status_per_field(summary), budget_per_field(summary)):
        assert ">1. Digitale Verwaltungsleistungen<" in chart
        assert ">2. IT-Sicherheit, Datenschutz und Datenmanagement<" in chart
        assert "…" not in chart
    # A title longer than the label column is still shortened, with an ellipsis.
    snapshot["fields"][0]["short_title"] = "Sehr " * 20
    assert "1. Sehr Sehr" in status_per_field(summarise(snapshot))
    assert "…</text>" in status_per_field(summarise(snapshot))
