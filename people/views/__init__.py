"""The people app's views, one module per page family.

- ``people``: the list of people, invitations, roles, deactivation;
- ``lockouts``: current login lockouts and lifting them, the page of a refused login.
"""
