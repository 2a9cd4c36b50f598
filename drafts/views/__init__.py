"""The drafts app's views, one module per page family.

- ``draft``: the versions of the strategy, a version's page, freezing, the PDF, publishing,
  the decision;
- ``consultation``: the Abstimmung with the bodies;
- ``oparl``: the OParl 1.1 endpoints (System, Body, Organization, Paper, File, the lists).
"""
