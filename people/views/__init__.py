"""The people app's views, one module per page family.

- ``people``: the list of people, invitations, roles, deactivation;
- ``lockouts``: current login lockouts and lifting them, the page of a refused login;
- ``password_reset``: “Passwort vergessen” with limits per account and per address.
"""
