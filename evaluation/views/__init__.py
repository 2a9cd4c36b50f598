"""The evaluation app's views, one module per page family.

- ``indicators``: the evaluation dashboard, indicators, manual values, gathering runs;
- ``assessments``: the assessments of a measure's effect;
- ``corrections``: deleting a value with the old one kept in the log;
- ``rounds``: data-collection rounds;
- ``csv_io``: export and import of values as CSV.
"""
