"""The procedures app's views, one module per page family.

- ``register``: one body's register of procedures, infrastructure and online services;
- ``overview``: the consolidation overview, the public aggregate, the catalogue, coverage;
- ``transfer``: the coordinator's import and export of the whole register.
"""
