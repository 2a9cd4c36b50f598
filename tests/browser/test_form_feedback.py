"""Length counters instead of silent truncation, and the error list at the top (issue 8 §9)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pasted_text_is_kept_counted_and_refused_by_the_server(page, login, users):
    login("hitzacker")
    page.goto("/massnahmen/neu/")
    title = page.get_by_label("Titel")
    assert title.get_attribute("maxlength") is None
    counter = page.locator("#id_title-zaehler")
    assert counter.inner_text() == "Noch 200 von 200 Zeichen frei."
    pasted = "Online-Terminbuchung " * 12  # 252 characters
    title.fill(pasted)
    assert title.input_value() == pasted  # nothing cut off
    assert "52 Zeichen zu viel" in counter.inner_text()
    page.get_by_role("button", name="Maßnahme anlegen").click()
    summary = page.locator("#fehlerliste")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "fehlerliste"
    summary.get_by_role("link", name="Titel").click()
    assert page.evaluate("document.activeElement.id") == "id_title"
    assert page.get_by_label("Titel").input_value() == pasted
