"""The lockout page and the coordinator's lockouts pages have zero axe violations."""

import pytest
from django.test import Client

from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lockout_pages_have_no_axe_violations(page, users, login, assert_accessible, settings):
    # The failures come from the browser's own address (a lockout is of a username from one
    # address); without the address-wide lockout, so that the coordinator can log in from it.
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    UserFactory(username="gesperrt")
    attacker = Client()
    for _ in range(10):
        attacker.post(
            "/accounts/login/",
            {"username": "gesperrt", "password": "falsch"},
            REMOTE_ADDR="127.0.0.1",
        )
    login("gesperrt")
    assert "Anmeldung vorübergehend gesperrt" in page.content()
    assert_accessible(page)
    login("koordination")
    page.goto("/anmeldesperren/")
    assert "gesperrt" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Sperre aufheben … für gesperrt").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sperre aufheben").click()
    page.wait_for_load_state()
    assert "wurde aufgehoben" in page.content()
    assert_accessible(page)
