"""System checks of the API's configuration."""

import os

from django.core import checks


@checks.register(checks.Tags.security)
def api_num_proxies_is_gone(app_configs, **kwargs):
    """API_NUM_PROXIES is no longer read: one setting, PORTAL_TRUSTED_PROXIES, now says which
    X-Forwarded-For entry is the client's, for the login lockouts and the API's limits."""
    if os.environ.get("API_NUM_PROXIES", "").strip():
        return [
            checks.Warning(
                "API_NUM_PROXIES is set but no longer read.",
                hint=(
                    "Remove it; the API counts anonymous clients by the address that "
                    "PORTAL_TRUSTED_PROXIES selects, like the login lockouts do."
                ),
                id="api.W001",
            )
        ]
    return []
