"""The pages app's views, one module per page family.

- ``home``: the home page, the way to one's own dashboard, the sources page;
- ``legal``: Impressum, Datenschutz, Leichte Sprache, Gebärdensprache, the accessibility
  statement and its feedback.
"""
